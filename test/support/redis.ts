// A private Redis server for tests (DESIGN.md section 5: "Debian's redis-server, started by the test
// setup on loopback"). Installs Debian's redis-server when missing, starts it on a free loopback port
// with a temporary directory and no persistence, and stops it when the test file ends. The server runs
// under a small shell that kills it when its stdin closes, so no server outlives the test process.
//
//   const redis = useRedis();   // before/after hooks for the file
//   redis.url()                 // redis://127.0.0.1:<port>
//   await redis.stop(); await redis.restart();   // an outage and the recovery, same port

import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, hasFile } from './debian-packages.js';

const BINARY = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING with PONG. */
async function waitUntilReady(port: number, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
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
    if (pong) return;
    if (exited()) throw new Error(`redis-server exited: ${output()}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisServer {
  port: number;
  url(): string;
  /** Stops the server (an outage); the port is kept for restart(). */
  stop(): Promise<void>;
  /** Starts a new, empty server on the same port. */
  restart(): Promise<void>;
  /** Stops the server for good and removes its directory. */
  close(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  ensureDebianPackages(['redis-server'], hasFile(BINARY));
  const dir = mkdtempSync(join(tmpdir(), 'almanac-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exitedPromise: Promise<void> = Promise.resolve();

  const launch = async () => {
    let out = '';
    let gone = false;
    child = spawn(
      'sh',
      ['-c', '"$@" & server=$!; cat >/dev/null; kill -TERM $server 2>/dev/null; wait $server', 'sh', BINARY,
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
        '--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    exitedPromise = new Promise<void>((resolve) => child!.once('exit', () => {
      gone = true;
      resolve();
    }));
    await waitUntilReady(port, () => gone, () => out);
  };
  await launch();

  const stop = async () => {
    child?.stdin?.end();
    await exitedPromise;
    child = undefined;
  };
  return {
    port,
    url: () => `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      if (child) await stop();
      await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestRedis {
  url(): string;
  server(): RedisServer;
}

/** One redis-server for the calling test file, started before its tests and stopped after. */
export function useRedis(): TestRedis {
  let server: RedisServer | undefined;
  before(async () => {
    server = await startRedis();
  });
  after(async () => {
    await server?.close();
  });
  return {
    url() {
      if (!server) throw new Error('useRedis: the server is not started yet (use it inside a test)');
      return server.url();
    },
    server() {
      if (!server) throw new Error('useRedis: the server is not started yet');
      return server;
    },
  };
}
