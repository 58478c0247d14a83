// Prosody and ejabberd from Debian, started through the shared peer scripts
// (/work/shared/peers/{prosody,ejabberd}.sh), which run them privately on loopback with SASL PLAIN
// allowed and hashed password storage. The benchmark uses its own run directory and ports so it
// never touches an instance someone else started with the scripts' defaults.

import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Target } from '../load/target.js';
import { prosodyAccountsReady, writeProsodyAccounts } from './prosody-accounts.js';
import { BENCH_PASSWORD, BENCH_PREFIX, type ServerHandle, type ServerLauncher, type StartOptions } from './server-handle.js';

const run = promisify(execFile);

export const PEERS_SCRIPTS = process.env.BENCH_PEERS_SCRIPTS ?? '/work/shared/peers';

interface PeerPorts {
  c2s: number;
  http: number;
  extra: Record<string, string>;
}

const PORTS: Record<'prosody' | 'ejabberd', PeerPorts> = {
  prosody: {
    c2s: Number(process.env.BENCH_PROSODY_C2S_PORT ?? 16222),
    http: Number(process.env.BENCH_PROSODY_HTTP_PORT ?? 16280),
    extra: {},
  },
  ejabberd: {
    c2s: Number(process.env.BENCH_EJABBERD_C2S_PORT ?? 26222),
    http: Number(process.env.BENCH_EJABBERD_HTTP_PORT ?? 26280),
    extra: { EJABBERD_DIST_PORT: process.env.BENCH_EJABBERD_DIST_PORT ?? '26299' },
  },
};

/** PBKDF2 iterations for Prosody's accounts: the 4,096 ejabberd and almanac use. */
export const PROSODY_ITERATIONS = Number(process.env.BENCH_PROSODY_ITERATIONS ?? 4096);

export function peerLauncher(name: 'prosody' | 'ejabberd'): ServerLauncher {
  const ports = PORTS[name];
  const script = join(PEERS_SCRIPTS, `${name}.sh`);
  const env = (options: StartOptions): NodeJS.ProcessEnv => {
    const upper = name.toUpperCase();
    return {
      ...process.env,
      PEERS_DIR: join(options.stateDir, 'peers'),
      BENCH_USERS: String(options.users),
      BENCH_PASSWORD_STORAGE: 'hashed',
      BENCH_SERVER_CPUS: options.cpus,
      BENCH_LOGLEVEL: 'warn',
      [`${upper}_C2S_PORT`]: String(ports.c2s),
      [`${upper}_HTTP_PORT`]: String(ports.http),
      ...ports.extra,
    };
  };
  return {
    name,
    passwordStorage:
      name === 'prosody'
        ? `internal_hashed (SCRAM-SHA-1 keys), ${PROSODY_ITERATIONS} iterations (rewritten from the default 10,000)`
        : 'auth_password_format scram (SCRAM-SHA-1 keys), 4096 iterations',
    version() {
      try {
        return `${execFileSync('dpkg-query', ['-W', '-f', '${Version}', name], { encoding: 'utf8' }).trim()} (Debian)`;
      } catch {
        return 'unknown';
      }
    },
    async start(options: StartOptions): Promise<ServerHandle> {
      const e = env(options);
      // A run that crashed may have left one behind; the script stops only the pid it recorded.
      await run('bash', [script, 'stop'], { env: e }).catch(() => undefined);
      if (name === 'prosody') {
        const accounts = {
          runDir: join(options.stateDir, 'peers', 'run', 'prosody'),
          domain: 'localhost',
          count: options.users,
          prefix: BENCH_PREFIX,
          password: BENCH_PASSWORD,
          iterations: PROSODY_ITERATIONS,
        };
        if (!prosodyAccountsReady(accounts)) {
          process.stderr.write(`[prosody] writing ${options.users} accounts at ${PROSODY_ITERATIONS} iterations\n`);
          await writeProsodyAccounts(accounts);
        }
      }
      try {
        await run('bash', [script, 'start'], { env: e, timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 });
      } catch (err) {
        if (name !== 'ejabberd') throw scriptError(err);
        // ejabberdctl gives up on a long import_piefxis after its RPC timeout while the import goes
        // on inside the server: wait for the accounts, then record them as the script would have.
        await waitForEjabberdAccounts(script, e, options.users, scriptError(err));
        writeFileSync(join(options.stateDir, 'peers', 'run', 'ejabberd', 'users.created'), String(options.users));
      }
      const { stdout } = await run('bash', [script, 'pid'], { env: e });
      const pid = Number(stdout.trim());
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${name}.sh pid printed ${stdout}`);
      const target: Target = {
        server: name,
        host: '127.0.0.1',
        port: ports.c2s,
        domain: 'localhost',
        pubsub: 'pubsub.localhost',
        boshUrl: `http://127.0.0.1:${ports.http}/http-bind`,
        wsUrl: `ws://127.0.0.1:${ports.http}/xmpp-websocket`,
        userPrefix: BENCH_PREFIX,
        users: options.users,
        password: BENCH_PASSWORD,
      };
      return {
        pid,
        target,
        stop: async () => {
          await run('bash', [script, 'stop'], { env: e, timeout: 120_000 });
        },
      };
    },
  };
}

function scriptError(err: unknown): Error {
  const e = err as { message: string; stderr?: string };
  const tail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  return new Error(`${e.message.split('\n')[0]}${tail ? `: ${tail}` : ''}`);
}

async function waitForEjabberdAccounts(script: string, env: NodeJS.ProcessEnv, users: number, cause: Error): Promise<void> {
  const until = Date.now() + 20 * 60_000;
  let have = 0;
  while (Date.now() < until) {
    const pid = await run('bash', [script, 'pid'], { env }).catch(() => undefined);
    if (!pid) throw cause;
    const stats = await run('bash', [script, 'ctl', 'stats', 'registeredusers'], { env }).catch(() => undefined);
    have = Number(stats?.stdout.trim() ?? 0);
    if (have >= users) return;
    process.stderr.write(`[ejabberd] ${have}/${users} accounts imported\n`);
    await new Promise((r) => setTimeout(r, 10_000));
  }
  throw new Error(`ejabberd has ${have}/${users} accounts after 20 minutes (${cause.message})`);
}
