// DESIGN.md section 8 (durability), for the fault tests: a data directory with accounts, the real
// `almanac serve` as a child process (so kill -9 is a real crash), a REST caller, and the XEP-0060
// stanzas these tests repeat. Limits are raised because bursts from 127.0.0.1 are the point here.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestClient } from '../support/test-client.js';
import type { ServerProcess } from '../support/server-process.js';

/** The CLI of the same build as these tests (bin/almanac.js would load dist/, someone else's build). */
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function almanac(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

export const PUBSUB = 'http://jabber.org/protocol/pubsub';
export const BURST_FLAGS = [
  '--limits-stanzas-per-second', '1000000',
  '--limits-bytes-per-second', String(64 * 1024 * 1024),
  '--limits-rest-requests-per-minute', '1000000',
  '--pubsub-max-items', '100000',
];

/** A fresh data directory (under `parent` when given) holding `users`, each with password 'secret'. */
export function dataDirWith(users: string[], parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, 'almanac-fault-'));
  for (const u of users) {
    const r = almanac(['user', 'add', `${u}@localhost`, 'secret', '--data-dir', dir]);
    assert.equal(r.status, 0, r.stderr);
  }
  return dir;
}

/** `almanac serve` on ephemeral ports; resolves once it printed its `ready` line. */
export function serve(dataDir: string, extra: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--data-dir', dataDir, '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0', '--no-require-tls', ...BURST_FLAGS, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALMANAC_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not become ready: ${out}`)), 30_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (!line) return;
      clearTimeout(timer);
      const ports = Object.fromEntries(line.split(' ').slice(1).map((pair) => [pair.split('=')[0]!, Number(pair.split('=')[1])]));
      resolve({ child, ports, output: () => out, exited });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before ready: ${out}`)));
  });
}

export async function crash(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  assert.equal(await server.exited, 'SIGKILL');
}

export async function stop(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

export async function online(server: ServerProcess, user: string, resource: string): Promise<TestClient> {
  const c = await TestClient.connect(server.ports.c2s!);
  c.jid = await c.login(user, 'secret', resource);
  return c;
}

export interface RestAnswer {
  status: number;
  body: any;
}

/** Calls the REST API as `user` (a token is made with the password on first use). */
export class RestCaller {
  private token = '';
  constructor(
    private readonly server: ServerProcess,
    private readonly user: string,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.server.ports.http}/api/v2`;
  }

  async call(method: string, path: string, body?: unknown): Promise<RestAnswer> {
    if (!this.token) {
      const r = await fetch(`${this.base}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: this.user, password: 'secret' }),
      });
      assert.ok(r.ok, `token for ${this.user}: ${r.status}`);
      this.token = ((await r.json()) as { token: string }).token;
    }
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Token ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Every event visible to the user, all pages. */
  async allEvents(): Promise<any[]> {
    const items: any[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.ok('GET', `/events?limit=1000&offset=${offset}`);
      items.push(...page.items);
      if (!page.has_more) return items;
    }
  }
}

export function eventBody(calendarId: string, title: string): unknown {
  return { calendar_id: calendarId, title, start: { date: '2026-12-01' }, end: { date: '2026-12-02' } };
}

export function createNodeIq(id: string, node: string): string {
  return (
    `<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><create node='${node}'/>` +
    `<configure><x xmlns='jabber:x:data' type='submit'>` +
    `<field var='FORM_TYPE' type='hidden'><value>${PUBSUB}#node_config</value></field>` +
    `<field var='pubsub#max_items'><value>100000</value></field>` +
    `<field var='pubsub#access_model'><value>open</value></field>` +
    `</x></configure></pubsub></iq>`
  );
}

export function publishIq(id: string, node: string, itemId: string, text = itemId): string {
  return (
    `<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><publish node='${node}'>` +
    `<item id='${itemId}'><entry xmlns='urn:example:burst'>${text}</entry></item></publish></pubsub></iq>`
  );
}

export function subscribeIq(id: string, node: string, jid: string): string {
  return `<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><subscribe node='${node}' jid='${jid}'/></pubsub></iq>`;
}

/** The item ids a node holds, as the owner sees them (XEP-0060 6.5). */
export async function itemIds(client: TestClient, node: string): Promise<Set<string>> {
  const res = await client.iq(`<iq type='get' to='pubsub.localhost' id='items-${node}'><pubsub xmlns='${PUBSUB}'><items node='${node}'/></pubsub></iq>`, `items-${node}`);
  assert.equal(res.attrs.type, 'result', res.toString());
  return new Set(res.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id as string));
}

/** The nodes `client` is subscribed to at the service (XEP-0060 5.6). */
export async function subscribedNodes(client: TestClient): Promise<string[]> {
  const res = await client.iq(`<iq type='get' to='pubsub.localhost' id='subs'><pubsub xmlns='${PUBSUB}'><subscriptions/></pubsub></iq>`, 'subs');
  assert.equal(res.attrs.type, 'result', res.toString());
  return res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription')
    .filter((s) => s.attrs.subscription === 'subscribed')
    .map((s) => s.attrs.node as string)
    .sort();
}
