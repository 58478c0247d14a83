// Prosody and ejabberd from Debian, started privately on loopback for interop tests through the shared launch
// scripts (shared/peers/*.sh, beside the repository: CI has a read-only copy at ../shared). Their run state
// goes to a fresh temporary PEERS_DIR, never into shared/; ports are picked free; accounts bench0..bench3
// with password 'secret', bench0 may create nodes on pubsub.localhost (see shared/peers/README.md).

import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, hasFile } from './debian-packages.js';

export type PeerKind = 'prosody' | 'ejabberd';

export interface PeerServer {
  readonly kind: PeerKind;
  readonly c2sPort: number;
  readonly httpPort: number;
  stop(): Promise<void>;
}

const BINARIES: Record<PeerKind, string> = { prosody: '/usr/bin/prosody', ejabberd: '/usr/sbin/ejabberdctl' };

/** The repository root: the nearest directory above this file whose package.json is almanac's. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'almanac') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
}

export function peerScript(kind: PeerKind): string {
  return join(repoRoot(), '..', 'shared', 'peers', `${kind}.sh`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(script: string, command: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [script, command], { env, timeout: 180_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script} ${command} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

export async function startPeer(kind: PeerKind): Promise<PeerServer> {
  ensureDebianPackages([kind], hasFile(BINARIES[kind]));
  const script = peerScript(kind);
  if (!existsSync(script)) throw new Error(`missing ${script}`);
  const peersDir = mkdtempSync(join(tmpdir(), `almanac-peers-${kind}-`));
  // The servers run as their own users, which must reach their run directory inside it.
  chmodSync(peersDir, 0o755);
  const [c2sPort, httpPort, distPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PEERS_DIR: peersDir,
    BENCH_USERS: '4',
    BENCH_PASSWORD_STORAGE: 'plain',
    PROSODY_C2S_PORT: String(c2sPort),
    PROSODY_HTTP_PORT: String(httpPort),
    EJABBERD_C2S_PORT: String(c2sPort),
    EJABBERD_HTTP_PORT: String(httpPort),
    EJABBERD_DIST_PORT: String(distPort),
  };
  try {
    await run(script, 'start', env);
  } catch (err) {
    await run(script, 'stop', env).catch(() => undefined);
    rmSync(peersDir, { recursive: true, force: true });
    throw err;
  }
  return {
    kind,
    c2sPort,
    httpPort,
    async stop() {
      try {
        await run(script, 'stop', env);
      } finally {
        rmSync(peersDir, { recursive: true, force: true });
      }
    },
  };
}
