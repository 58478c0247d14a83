// A private PostgreSQL server for tests (DESIGN.md section 5: "Debian's postgresql, started by the test
// setup on loopback"). Installs Debian's postgresql when missing, makes a cluster with its initdb (as the
// postgres user when running as root, since PostgreSQL refuses to run as root), starts it on a free
// loopback port with durability switched off (tests need speed, not crash safety), and stops it when the
// test file ends. initdb runs once per machine into a template directory that each test file copies,
// so a file pays for a copy and a start (well under a second), not a full initdb.
//
// Use from a test file:
//   const pg = usePostgres();               // registers before/after hooks for the file
//   const db = await pg.freshDatabase();    // a PostgresDatabase in a new, empty schema
//   await pg.server().halt(); await pg.server().restart();   // an outage and the recovery, same port and data

import { after, before } from 'node:test';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureDebianPackages } from './debian-packages.js';
import { PostgresDatabase } from '../../src/storage/postgres/database.js';

const VERSIONS_DIR = '/usr/lib/postgresql';

function binDir(): string | undefined {
  if (!existsSync(VERSIONS_DIR)) return undefined;
  const versions = readdirSync(VERSIONS_DIR)
    .filter((v) => existsSync(join(VERSIONS_DIR, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(VERSIONS_DIR, versions[0], 'bin');
}

/** Root runs the server as Debian's postgres user; anyone else runs it as themselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function giveTo(user: { uid: number; gid: number } | undefined, path: string): void {
  if (user) chownSync(path, user.uid, user.gid);
}

/** The initdb result shared by every test file on this machine; built once, then only copied. */
function templateCluster(bin: string, user: { uid: number; gid: number } | undefined): string {
  const version = bin.split('/').at(-2)!;
  // The name changes with the initdb options, so a template made with older options is never reused.
  const template = join(tmpdir(), `almanac-pg-template-${version}-w1-${process.getuid?.() ?? 0}`);
  if (existsSync(join(template, 'data', 'PG_VERSION'))) return template;
  const staging = mkdtempSync(join(tmpdir(), 'almanac-pg-initdb-'));
  giveTo(user, staging);
  execFileSync(
    join(bin, 'initdb'),
    // 1 MB WAL segments instead of 16: less to copy per test file.
    ['-D', join(staging, 'data'), '--no-sync', '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-locale', '--wal-segsize=1'],
    { stdio: 'pipe', uid: user?.uid, gid: user?.gid, cwd: staging },
  );
  try {
    // Atomic: a test file racing us either sees no template or a complete one.
    renameSync(staging, template);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return template;
}

/**
 * Removes the directories of servers that are gone: a test process killed before its after hook (a
 * timeout, ^C) still stops its server through the shell's stdin, but cannot delete the files. A server
 * deletes postmaster.pid when it stops; the age check spares a directory that is still being set up.
 */
function sweepStoppedClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!/^almanac-pg-[A-Za-z0-9]{6}$/.test(name)) continue;
    const dir = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 120_000 || existsSync(join(dir, 'data', 'postmaster.pid'))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another test file swept it first.
    }
  }
}

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

export interface PostgresServer {
  port: number;
  /** A postgres:// URL for one database of this server. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /**
   * Stops the server as an outage would (`pg_ctl stop`; immediate: no checkpoint, every connection cut,
   * as in a crash); the data and the port are kept for restart().
   */
  halt(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data (after a crash recovery when halted immediately). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Launched {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Runs the server under a small shell that kills it (fast shutdown) when its stdin closes, which also
 * happens when this process dies for any reason, so no cluster is left behind.
 */
function launch(bin: string, root: string, port: number, user: { uid: number; gid: number } | undefined): Launched {
  const log = openSync(join(root, 'server.log'), 'a');
  const child = spawn(
    'sh',
    ['-c', '"$@" & server=$!; cat >/dev/null; kill -INT $server 2>/dev/null; wait $server', 'sh', join(bin, 'postgres'),
      '-D', join(root, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${root}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
      '-c', 'shared_buffers=32MB'],
    { stdio: ['pipe', log, log], uid: user?.uid, gid: user?.gid, cwd: root },
  );
  closeSync(log);
  // Closing stdin of a shell that already ended must not become an unhandled 'error' event (EPIPE).
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

/** Starts a private server on a free loopback port. */
export async function startPostgres(): Promise<PostgresServer> {
  ensureDebianPackages(['postgresql'], () => binDir() !== undefined);
  const bin = binDir()!;
  const user = serverUser();
  const template = templateCluster(bin, user);
  sweepStoppedClusters();
  const root = mkdtempSync(join(tmpdir(), 'almanac-pg-'));
  giveTo(user, root);
  const data = join(root, 'data');
  execFileSync('cp', ['-a', join(template, 'data'), data], { stdio: 'pipe', uid: user?.uid, gid: user?.gid });
  const logPath = join(root, 'server.log');

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const launched = launch(bin, root, port, user);
    const server = serverOn(port, launched, root, bin, user);
    try {
      await waitUntilReady(port, launched.exited);
      return server;
    } catch (err) {
      await server.stop();
      const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
      // Another process may have taken the port between our probe and the server's bind.
      if (attempt < 3 && /could not bind|Address already in use/.test(text)) continue;
      throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${text}`);
    }
  }
}

const execFileAsync = promisify(execFile);

function serverOn(port: number, first: Launched, root: string, bin: string, user: { uid: number; gid: number } | undefined): PostgresServer {
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let running: Launched | undefined = first;
  let stopped: Promise<void> | undefined;
  const end = async (launched: Launched) => {
    launched.child.stdin?.end();
    await launched.exited;
  };
  const halt = async (mode: 'immediate' | 'fast' = 'immediate') => {
    const launched = running;
    if (!launched) return;
    running = undefined;
    // Asynchronous, so that a server under test in this process keeps running while pg_ctl waits.
    await execFileAsync(join(bin, 'pg_ctl'), ['stop', '-D', join(root, 'data'), '-m', mode, '-w', '-s'], { uid: user?.uid, gid: user?.gid, cwd: root });
    await end(launched);
  };
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    halt,
    async restart() {
      if (stopped) throw new Error('restart: the server was stopped for good');
      await halt('fast');
      const launched = launch(bin, root, port, user);
      running = launched;
      await waitUntilReady(port, launched.exited);
    },
    stop() {
      stopped ??= (async () => {
        if (running) await end(running);
        running = undefined;
        rmSync(root, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function waitUntilReady(port: number, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (gone) throw new Error('the server exited');
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export interface TestPostgres {
  /** URL of this test file's database (valid once the file's before hook ran). */
  url(): string;
  /** The server itself, to halt and restart it (valid once the file's before hook ran). */
  server(): PostgresServer;
  /**
   * A connection pool on this file's database using a schema of its own, empty until stores migrate it;
   * or, given `schema`, another pool on that existing schema (as a second almanac process would be).
   */
  freshDatabase(options?: { poolSize?: number; schema?: string }): Promise<PostgresDatabase>;
}

let schemas = 0;

/** One server and one database for the calling test file, started before its tests and stopped after. */
export function usePostgres(): TestPostgres {
  let server: PostgresServer | undefined;
  let databaseUrl: string | undefined;
  const opened: PostgresDatabase[] = [];
  before(async () => {
    server = await startPostgres();
    databaseUrl = await server.createDatabase('almanac_test');
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await server?.stop();
  });
  return {
    url() {
      if (!databaseUrl) throw new Error('usePostgres: the server is not started yet (use it inside a test)');
      return databaseUrl;
    },
    server() {
      if (!server) throw new Error('usePostgres: the server is not started yet (use it inside a test)');
      return server;
    },
    async freshDatabase(options = {}) {
      const schema = options.schema ?? `case_${++schemas}`;
      const db = await PostgresDatabase.connect({ url: this.url(), schema, poolSize: options.poolSize });
      opened.push(db);
      return db;
    },
  };
}
