// Starts almanac as a cluster for the cluster benchmarks (docs/CLUSTER.md): a private redis-server and
// almanac with `--redis-url`, in one of four layouts, all from the same build the harness runs from
// (the dist folder holding this file), so "1 process" and "2 processes" compare the same code:
//
//   1       one `serve`, no Redis (the standalone server)
//   1r      one `serve --redis-url` (a one-process cluster: the bus and directory costs, nothing crosses)
//   2w      one `serve --workers 2 --redis-url`: one set of ports, node:cluster's primary accepts each
//           connection and hands it to the workers in turn
//   2p      two `serve --redis-url` processes with their own ports sharing one data dir (SQLite WAL), so
//           the load generator decides which process each client reaches
//
// CPU is sampled from every almanac process (a --workers primary and its workers) and redis-server.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALMANAC_BENCH_FLAGS, freshDataDir } from './almanac-server.js';
import { readyPorts, stopChild } from './child-server.js';
import { sample } from './process-stats.js';
import { startRedis, type RedisHandle } from './redis-launcher.js';
import { BENCH_PASSWORD, BENCH_PREFIX } from './server-handle.js';
import type { Target } from '../load/target.js';

const here = dirname(fileURLToPath(import.meta.url));
const ALMANAC_MAIN = join(here, '..', '..', 'src', 'cli', 'main.js');

export interface ClusterLayout {
  /** 1, 1r, 2w or 2p (see above). */
  name: string;
  /** Separately started `serve` processes, each with its own ports. */
  processes: number;
  /** `--workers` of each process. */
  workers: number;
  redis: boolean;
  description: string;
}

export const LAYOUTS: Record<string, ClusterLayout> = {
  '1': { name: '1', processes: 1, workers: 1, redis: false, description: '1 process, no Redis' },
  '1r': { name: '1r', processes: 1, workers: 1, redis: true, description: '1 process + Redis' },
  '2w': { name: '2w', processes: 1, workers: 2, redis: true, description: '--workers 2 + Redis (one port)' },
  '2p': { name: '2p', processes: 2, workers: 1, redis: true, description: '2 processes + Redis (own ports)' },
};

/** The usual target (the first process's ports) plus every process's c2s port, in start order. */
export interface ClusterTarget extends Target {
  ports: number[];
}

/** CPU seconds of every almanac process and of redis-server, and their summed RSS. */
export interface ClusterSample {
  cpu: number;
  rssKiB: number;
  almanacCpu: number;
  redisCpu: number;
  /** Per almanac process, primaries before their workers. */
  processCpu: number[];
}

export interface ClusterHandle {
  layout: ClusterLayout;
  target: ClusterTarget;
  /** The main pid (first process), for code that wants one. */
  pid: number;
  sample(): ClusterSample;
  stop(): Promise<void>;
}

export interface ClusterStartOptions {
  users: number;
  stateDir: string;
  /** taskset list for every server process ('' leaves them to the scheduler). */
  cpus: string;
}

/** Direct children of a process (Linux >= 3.5: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process is gone: no children to count.
  }
  return out;
}

async function startAlmanac(layout: ClusterLayout, dataDir: string, redis: RedisHandle | undefined, options: ClusterStartOptions, index: number): Promise<{ child: ChildProcess; c2s: number }> {
  const log = createWriteStream(join(options.stateDir, `almanac-cluster-${index}.log`), { flags: 'a' });
  const args = [
    ALMANAC_MAIN, 'serve', '--data-dir', dataDir,
    '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0',
    ...ALMANAC_BENCH_FLAGS,
    ...(redis ? ['--redis-url', redis.url] : []),
    ...(layout.workers > 1 ? ['--workers', String(layout.workers)] : []),
  ];
  const command = options.cpus ? 'taskset' : process.execPath;
  const argv = options.cpus ? ['-c', options.cpus, process.execPath, ...args] : args;
  const child = spawn('bash', ['-c', 'ulimit -n $(ulimit -Hn); exec "$0" "$@"', command, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.pipe(log);
  const ports = await readyPorts(child, log);
  return { child, c2s: ports.c2s };
}

export async function startCluster(layout: ClusterLayout, options: ClusterStartOptions): Promise<ClusterHandle> {
  const dataDir = await freshDataDir(options.stateDir, options.users, 'almanac-cluster-run');
  const redis = layout.redis ? await startRedis(options.cpus) : undefined;
  const started: { child: ChildProcess; c2s: number }[] = [];
  const stop = async (): Promise<void> => {
    // Reverse order, Redis last, so no process sees the bus vanish while it still serves.
    for (const s of [...started].reverse()) await stopChild(s.child);
    await redis?.stop();
  };
  try {
    // One after another: the first migrates the shared database, the second finds it done.
    for (let i = 0; i < layout.processes; i++) started.push(await startAlmanac(layout, dataDir, redis, options, i));
  } catch (err) {
    await stop();
    throw err;
  }
  const mains = started.map((s) => s.child.pid as number);
  const target: ClusterTarget = {
    server: `almanac ${layout.name}`,
    host: '127.0.0.1',
    port: started[0].c2s,
    ports: started.map((s) => s.c2s),
    domain: 'localhost',
    pubsub: 'pubsub.localhost',
    userPrefix: BENCH_PREFIX,
    users: options.users,
    password: BENCH_PASSWORD,
  };
  return {
    layout,
    target,
    pid: mains[0],
    sample() {
      // Workers are looked up at each sample: they are the primaries' children (node:cluster forks).
      const pids = mains.flatMap((p) => [p, ...(layout.workers > 1 ? childrenOf(p) : [])]);
      const processCpu = pids.map((p) => sample(p).cpu);
      const almanacCpu = processCpu.reduce((a, b) => a + b, 0);
      const redisCpu = redis ? sample(redis.pid).cpu : 0;
      const rssKiB = pids.reduce((a, p) => a + sample(p).rssKiB, 0) + (redis ? sample(redis.pid).rssKiB : 0);
      return { cpu: almanacCpu + redisCpu, rssKiB, almanacCpu, redisCpu, processCpu };
    },
    stop,
  };
}
