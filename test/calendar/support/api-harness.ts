// A real HTTP server with the calendar API on an in-memory SQLite database, real account and token
// stores, and a ChangeSink that records what it is given; used by the REST contract tests.

import Fastify, { type FastifyInstance } from 'fastify';
import { SqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { SqliteAccountStore } from '../../../src/storage/sqlite/accounts.js';
import { SqliteTokenStore } from '../../../src/storage/sqlite/tokens.js';
import { SqliteCalendarStore } from '../../../src/storage/sqlite/calendar-store.js';
import { scramHasher } from '../../../src/stream/password-credentials.js';
import { registerCalendarApi } from '../../../src/calendar/rest/plugin.js';
import type { ChangeSink, CommittedChange } from '../../../src/calendar/feed/change.js';

export class RecordingSink implements ChangeSink {
  readonly changes: CommittedChange[] = [];
  committed(change: CommittedChange): void {
    this.changes.push(change);
  }
  clear(): void {
    this.changes.length = 0;
  }
  /** `resource:action` for every change seen by `user`. */
  seenBy(user: string): string[] {
    return this.changes.filter((c) => c.views.has(user)).map((c) => `${c.resource}:${c.action}`);
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export class Client {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Token ${this.token}`;
    if (typeof body === 'string') init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', path, body, headers);
  }
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('PATCH', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('PUT', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('DELETE', path, undefined, headers);
  }
}

export interface Harness {
  app: FastifyInstance;
  base: string;
  sink: RecordingSink;
  store: SqliteCalendarStore;
  anonymous: Client;
  /** Every route the app registered, as `METHOD /url`. */
  routes: string[];
  /** Creates the account (password "secret-<name>") and returns a client holding its token. */
  user(name: string): Promise<Client>;
  close(): Promise<void>;
}

export async function startApi(options: { now?: () => Date } = {}): Promise<Harness> {
  const database = new SqliteDatabase(':memory:');
  const accounts = new SqliteAccountStore(database, scramHasher);
  const tokens = new SqliteTokenStore(database);
  const store = new SqliteCalendarStore(database);
  const sink = new RecordingSink();
  const app = Fastify({ logger: false });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  await registerCalendarApi(app, { store, accounts, tokens, feed: sink, now: options.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}/api/v2`;
  const anonymous = new Client(base);
  return {
    app,
    base,
    sink,
    store,
    anonymous,
    routes,
    async user(name: string): Promise<Client> {
      await accounts.create(name, `secret-${name}`);
      const res = await anonymous.post('/auth/token', { username: name, password: `secret-${name}` });
      if (res.status !== 201) throw new Error(`login of ${name} failed: ${res.status} ${res.text}`);
      return new Client(base, res.body.token);
    },
    async close(): Promise<void> {
      await app.close();
      database.close();
    },
  };
}
