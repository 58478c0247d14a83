#!/usr/bin/env node
// `npm run bench -- <scenario|all> [options]`: builds the project (dist/, which both the almanac
// server and the benchmark run from), then runs bench/run/orchestrator.ts. See docs/PERFORMANCE.md.
//
//   npm run bench -- all                                   every scenario, almanac + Prosody + ejabberd
//   npm run bench -- logins --servers almanac,prosody      one scenario, some servers
//   npm run bench -- pubsub-fanout --subscribers 1000      scenario options pass through
//   options: --servers LIST  --state-dir DIR  --server-cpus 0  --client-cpus 1  --users N
//            --markdown FILE  --timeout SECONDS  --no-build
//   BENCH_DIST=dist-<name> runs the harness from another build folder (the server always uses dist/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const args = argv.filter((a) => a !== '--no-build');

if (!noBuild) {
  // Type errors elsewhere in the tree do not stop tsc from emitting; only a missing output does.
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.json')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`tsc reported errors (continuing with what it emitted):\n${build.stdout.split('\n').slice(0, 10).join('\n')}\n`);
}
const orchestrator = join(repo, process.env.BENCH_DIST ?? 'dist', 'bench', 'run', 'orchestrator.js');
if (!existsSync(orchestrator)) {
  process.stderr.write(`${orchestrator} is missing: the build failed\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(orchestrator).href);
process.exit(await main(args, repo));
