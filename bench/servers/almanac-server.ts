// Starts almanac for a benchmark (DESIGN.md section 6): `node bin/almanac.js serve` from the main
// build in dist/, every port 0, plain TCP allowed for SASL PLAIN on loopback, pinned with taskset,
// on a fresh copy of a data directory whose accounts were made once by create-almanac-accounts.
// Per-address limits are raised because every benchmark connection comes from 127.0.0.1; Prosody and
// ejabberd as configured by the peer scripts have no such limits.

import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readyPorts, stopChild } from './child-server.js';
import { createAccounts } from '../accounts/create-almanac-accounts.js';
import { BENCH_PASSWORD, BENCH_PREFIX, type ServerHandle, type ServerLauncher, type StartOptions } from './server-handle.js';

export const ALMANAC_BENCH_FLAGS = [
  '--no-require-tls',
  '--log-level', 'warn',
  '--limits-max-connections-per-address', '1000000',
  '--limits-max-unauthenticated-per-address', '1000000',
  '--limits-stanzas-per-second', '1000000',
  '--limits-bytes-per-second', String(1024 * 1024 * 1024),
  '--limits-bosh-sessions-per-address', '100000',
];

/**
 * `<stateDir>/<name>`, emptied, holding a copy of the account template (bench0..bench<users-1>, made
 * once in `<stateDir>/almanac-accounts` and kept between runs). Also used by the cluster launcher.
 */
export async function freshDataDir(stateDir: string, users: number, name: string): Promise<string> {
  const template = join(stateDir, 'almanac-accounts');
  mkdirSync(template, { recursive: true });
  const marker = join(template, 'users.created');
  const have = existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : 0;
  if (have < users) {
    process.stderr.write(`[almanac] creating accounts ${BENCH_PREFIX}0..${BENCH_PREFIX}${users - 1} in ${template}\n`);
    await createAccounts({ dataDir: template, count: users, prefix: BENCH_PREFIX, password: BENCH_PASSWORD });
    writeFileSync(marker, String(users));
  }
  const dataDir = join(stateDir, name);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(template, 'almanac.db'), join(dataDir, 'almanac.db'));
  return dataDir;
}

export function almanacLauncher(repo: string): ServerLauncher {
  return {
    name: 'almanac',
    passwordStorage: 'SCRAM-SHA-1 and -256 keys, 4096 iterations; PLAIN checked with PBKDF2-HMAC-SHA-256',
    version() {
      try {
        const commit = execFileSync('git', ['-C', repo, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' }).trim();
        return `0.1.0 (main at ${commit}, working tree as built)`;
      } catch {
        return '0.1.0';
      }
    },
    async start(options: StartOptions): Promise<ServerHandle> {
      const dataDir = await freshDataDir(options.stateDir, options.users, 'almanac-run');

      const log = createWriteStream(join(options.stateDir, 'almanac.log'), { flags: 'a' });
      const args = [
        resolve(repo, 'bin/almanac.js'), 'serve', '--data-dir', dataDir,
        '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0',
        ...ALMANAC_BENCH_FLAGS,
      ];
      const command = options.cpus ? 'taskset' : process.execPath;
      const argv = options.cpus ? ['-c', options.cpus, process.execPath, ...args] : args;
      // bash raises the descriptor limit for 10,000 connections, then execs (the pid stays node's).
      const child = spawn('bash', ['-c', 'ulimit -n $(ulimit -Hn); exec "$0" "$@"', command, ...argv], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr?.pipe(log);
      const ports = await readyPorts(child, log);
      return {
        pid: child.pid as number,
        target: {
          server: 'almanac',
          host: '127.0.0.1',
          port: ports.c2s,
          domain: 'localhost',
          pubsub: 'pubsub.localhost',
          boshUrl: ports.http ? `http://127.0.0.1:${ports.http}/http-bind` : undefined,
          wsUrl: ports.http ? `ws://127.0.0.1:${ports.http}/xmpp-websocket` : undefined,
          userPrefix: BENCH_PREFIX,
          users: options.users,
          password: BENCH_PASSWORD,
        },
        stop: () => stopChild(child),
      };
    },
  };
}
