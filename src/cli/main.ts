// Entry point of the `almanac` command (bin/almanac.js imports this file): runs the CLI on this
// process's arguments and exits with its code (DESIGN.md section 6).

import { processContext } from './context.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), processContext());
process.exitCode = code;
// A finished command must end even if a library left a handle open (a pool, a timer); the delay lets
// pending output reach a pipe first. unref() keeps this timer from holding the process up itself.
setTimeout(() => process.exit(code), 2000).unref();
