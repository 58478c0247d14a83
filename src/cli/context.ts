// What a command may touch of the outside world: output, input, environment, signals and the lazily
// loaded parts of the program. Tests pass their own; main.ts passes the real process.

import { createInterface } from 'node:readline';
import { builtModules, type RuntimeModules } from './runtime-modules.js';

export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Writes one line to standard output. */
  stdout(line: string): void;
  /** Writes one line to standard error. */
  stderr(line: string): void;
  /** The first line of standard input without its line end ('' at end of input), for `PASSWORD -`. */
  readStdinLine(): Promise<string>;
  /**
   * Starts listening for the end of a long-running command; resolves with the signal's name.
   * Called before the service starts, so that a signal during start-up is not lost.
   */
  waitForShutdown(): Promise<string>;
  modules: RuntimeModules;
}

export function processContext(): CliContext {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readStdinLine: () =>
      new Promise((resolve) => {
        // At a terminal, say what is awaited; the line is read as typed (no echo suppression).
        if (process.stdin.isTTY) process.stderr.write('password: ');
        const lines = createInterface({ input: process.stdin });
        let answered = false;
        lines.once('line', (line) => {
          answered = true;
          lines.close();
          resolve(line);
        });
        lines.once('close', () => {
          if (!answered) resolve('');
        });
      }),
    waitForShutdown: () =>
      new Promise((resolve) => {
        // Only the first signal is ours: once the listeners are gone a second Ctrl-C kills the process
        // the default way, which is the escape hatch when a shutdown hangs.
        const onSignal = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }),
    modules: builtModules,
  };
}
