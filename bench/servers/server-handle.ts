// A server under test as the orchestrator sees it: where to connect, which process to sample, and
// how to stop it. Every scenario gets a freshly started server (Prosody in particular slows down after
// heavy connection churn in one process, per /work/shared/peers/README.md).

import type { Target } from '../load/target.js';

export interface ServerHandle {
  target: Target;
  /** The process whose CPU time and RSS are reported (for ejabberd, the Erlang VM). */
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Accounts bench0..bench<users-1> must exist, password `secret`. */
  users: number;
  /** taskset CPU list for the server, e.g. "0"; empty for no pinning. */
  cpus: string;
  /** Directory for run state (data dirs, logs, account templates). */
  stateDir: string;
}

export interface ServerLauncher {
  name: string;
  /** Package or build version, for the report. */
  version(): string;
  /** How passwords are stored and what a PLAIN login costs, for the report. */
  passwordStorage: string;
  start(options: StartOptions): Promise<ServerHandle>;
}

export const BENCH_PASSWORD = 'secret';
export const BENCH_PREFIX = 'bench';
