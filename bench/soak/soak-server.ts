// Starts `almanac serve` for a soak or latency run as a child process of the same build as the
// harness, on 127.0.0.1 with every port ephemeral, limits raised (all clients share one address),
// plain TCP with SASL PLAIN allowed, and the descriptor limit raised for thousands of connections.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccounts } from '../accounts/create-almanac-accounts.js';
import type { Target } from '../load/target.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export const SOAK_FLAGS = [
  '--no-require-tls',
  '--log-level', 'warn',
  '--limits-max-connections-per-address', '1000000',
  '--limits-max-unauthenticated-per-address', '1000000',
  '--limits-stanzas-per-second', '1000000',
  '--limits-bytes-per-second', String(1024 * 1024 * 1024),
  '--limits-rest-requests-per-minute', '1000000',
  '--limits-sasl-failures-per-minute', '10000',
  '--pubsub-max-items', '1000000',
];

export interface SoakServer {
  child: ChildProcess;
  target: Target;
  httpPort: number;
  /** Peak resident memory of the server so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<number | string>;
}

export async function startSoakServer(dataDir: string, users: number, prefix: string, password: string, extra: string[] = []): Promise<SoakServer> {
  mkdirSync(dataDir, { recursive: true });
  await createAccounts({ dataDir, count: users, prefix, password });
  const argv = [CLI, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1', '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0', ...SOAK_FLAGS, ...extra];
  const child = spawn('bash', ['-c', 'ulimit -n $(ulimit -Hn); exec "$0" "$@"', process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    out += d;
    if (out.length > 100_000) out = out.slice(-50_000);
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve(Object.fromEntries(line.split(' ').slice(1).map((p) => [p.split('=')[0]!, Number(p.split('=')[1])])));
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before ready: ${out}`)));
  });
  return {
    child,
    httpPort: ports.http!,
    target: {
      server: 'almanac',
      host: '127.0.0.1',
      port: ports.c2s!,
      domain: 'localhost',
      pubsub: 'pubsub.localhost',
      userPrefix: prefix,
      users,
      password,
    },
    peakRssMiB() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(join('/proc', String(child.pid), 'status'), 'utf8'));
        return m ? Math.round(Number(m[1]) / 1024) : 0;
      } catch {
        return 0;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) process.stderr.write(`server exit ${code}; last output:\n${out.slice(-3000)}\n`);
      return code;
    },
  };
}
