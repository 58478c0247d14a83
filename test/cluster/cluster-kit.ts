// Three almanac servers of one cluster in this test process: one Redis (test/support/redis.ts) and one
// PostgreSQL database (test/support/postgres.ts) shared by all of them (`storage = postgres`, the store a
// cluster deploys with; docs/CLUSTER.md), each server with its own listeners and its own data directory,
// as three processes on three machines behind a load balancer would be.

import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { useRedis, type TestRedis } from '../support/redis.js';
import { usePostgres, type TestPostgres } from '../support/postgres.js';
import { TestClient } from '../support/test-client.js';

export const ROSTER = 'jabber:iq:roster';

export interface ClusterKit {
  redis: TestRedis;
  postgres: TestPostgres;
  servers: RunningServer[];
  /** Arguments that make an `almanac serve` child a member of this cluster (same Redis, same database). */
  memberArgs(): string[];
  config(): Config;
  addUser(username: string): Promise<void>;
  /** Logs in on server `index`, fetches the roster and sends initial presence. */
  login(index: number, user: string, resource?: string, online?: boolean): Promise<TestClient>;
  /** Resolves once every server sees the client's session as available (the directory spreads over the bus). */
  seenEverywhere(c: TestClient): Promise<void>;
  /** Makes `a` and `b` subscribed to each other (RFC 6121 3.1) through the cluster. */
  befriend(a: TestClient, b: TestClient): Promise<void>;
}

export function useCluster(size = 3, users: string[] = []): ClusterKit {
  const servers: RunningServer[] = [];
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  /** Per server, the session-ended events whose handlers are still running. */
  const ending: number[] = [];
  let base: Config | undefined;
  // Declared before Redis and PostgreSQL start, so it runs before they stop: servers end their sessions
  // (unavailable presence over the bus, stores closed) while both are still there.
  after(async () => {
    // A session's end sets off work that reads PostgreSQL (presence, PEP interest in rosters) which
    // server.stop() does not wait for before it closes the pool: let every end run its course first.
    for (const c of clients) c.destroy();
    await eventually(() => servers.every((s, i) => s.host.sessions.size === 0 && ending[i] === 0), 'the sessions to end').catch(() => undefined);
    for (const s of servers) await s.stop().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const redis = useRedis();
  const postgres = usePostgres();

  before(async () => {
    process.env.ALMANAC_CLUSTER_HEARTBEAT_MS = '200';
    process.env.ALMANAC_CLUSTER_DEAD_AFTER_MS = '1000';
    for (let i = 0; i < size; i++) {
      // Nothing shared lives here: a private directory shows the processes share only Redis and PostgreSQL.
      const dir = mkdtempSync(join(tmpdir(), 'almanac-cluster-'));
      dirs.push(dir);
      const config = defaultConfig(dir);
      config.dataDir = dir;
      config.storage = 'postgres';
      config.postgresUrl = postgres.url();
      config.c2sPort = 0;
      config.tlsPort = 0;
      config.httpPort = 0;
      config.httpsPort = 0;
      config.componentPort = 0;
      config.requireTls = false;
      config.logLevel = 'silent';
      config.redisUrl = redis.url();
      base ??= config;
      // One after the other (the migration lock would also let them start together).
      const server = await startServer(config);
      servers.push(server);
      ending.push(0);
      // First and last of every handler: the count says when the handlers of each end have finished.
      server.host.bus.on('session-ended', () => void ending[i]!++, 1e9);
      server.host.bus.on('session-ended', () => void ending[i]!--, -1e9);
    }
    for (const u of users) await servers[0]!.host.stores.accounts.create(u, 'secret');
  });

  return {
    redis,
    postgres,
    servers,
    memberArgs: () => ['--storage', 'postgres', '--postgres-url', postgres.url(), '--redis-url', redis.url()],
    config: () => base!,
    async addUser(username) {
      await servers[0]!.host.stores.accounts.create(username, 'secret');
    },
    async login(index, user, resource = 'r', online = true) {
      const c = await TestClient.connect(servers[index]!.ports.c2s!);
      clients.push(c);
      await c.login(user, 'secret', resource);
      await c.iq(`<iq type='get' id='roster'><query xmlns='${ROSTER}'/></iq>`, 'roster');
      if (online) await c.online();
      return c;
    },
    async seenEverywhere(c) {
      await eventually(() => servers.every((s) => s.host.sessions.get(c.jid)?.available === true), `${c.jid} on every server`);
    },
    async befriend(a, b) {
      const bareA = a.jid.split('/')[0]!;
      const bareB = b.jid.split('/')[0]!;
      a.send(`<presence to='${bareB}' type='subscribe'/>`);
      await b.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === bareA);
      b.send(`<presence to='${bareA}' type='subscribed'/>`);
      await a.receive((el) => el.name === 'presence' && el.attrs.from === b.jid && !el.attrs.type);
      b.send(`<presence to='${bareA}' type='subscribe'/>`);
      await a.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === bareB);
      a.send(`<presence to='${bareB}' type='subscribed'/>`);
      await b.receive((el) => el.name === 'presence' && el.attrs.from === a.jid && !el.attrs.type);
    },
  };
}

/** Waits until `check` holds (cluster state spreads over the bus asynchronously). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
