// A private redis-server for cluster benchmarks (docs/CLUSTER.md: the processes of one almanac cluster
// share one Redis for their bus and session directory). Debian's /usr/bin/redis-server on a free
// loopback port, a temporary directory, no persistence (no RDB snapshots or AOF writes disturbing the
// CPU figures), stopped with SIGTERM. The bench starts its own rather than borrowing the tests' helper
// so that a benchmark never depends on test code.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './child-server.js';

const BINARY = '/usr/bin/redis-server';

export interface RedisHandle {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the kernel picks it; closed again before redis binds it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
  });
}

/** Starts redis-server pinned with taskset when `cpus` is given; resolves once it answers PING. */
export async function startRedis(cpus: string): Promise<RedisHandle> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing (apt-get install -y redis-server)`);
  const dir = mkdtempSync(join(tmpdir(), 'almanac-bench-redis-'));
  const port = await freeLoopbackPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
    '--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'warning'];
  const child: ChildProcess = cpus ? spawn('taskset', ['-c', cpus, BINARY, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  // If the driver dies, the server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const deadline = Date.now() + 15_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    // taskset execs the server, so the pid is redis-server's own.
    pid: child.pid as number,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', killOnExit);
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
