// PostgreSQL unavailable (docs/CLUSTER.md "Failures"): the real `almanac serve` on a private PostgreSQL
// whose server is stopped (pg_ctl stop -m fast: every connection cut) and started again. While it is down
// the process stays up and answers what needs storage with errors that say "retry later": an IQ gets
// internal-server-error of type wait (RFC 6120 8.3.2), a login <temporary-auth-failure/> (6.5.12) on a
// stream that stays open and that does not count as a failed attempt of the address, REST 503
// storage_unavailable; stanzas between sessions still flow (routing needs no store). Once the server is
// back the same process serves roster, logins, pubsub and REST again, and the outage and the recovery
// are each logged once.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element } from '@xmpp/xml';
import { usePostgres } from '../support/postgres.js';
import { TestClient } from '../support/test-client.js';
import type { ServerProcess } from '../support/server-process.js';
import { createNodeIq, online, publishIq, RestCaller, serve, stop } from './fault-fixture.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const ROSTER = 'jabber:iq:roster';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

const pg = usePostgres();

function rosterGet(client: TestClient, id: string): Promise<Element> {
  return client.iq(`<iq type='get' id='${id}'><query xmlns='${ROSTER}'/></iq>`, id);
}

/** Opens a stream and sends SASL PLAIN; resolves with <success/> or <failure/>, the stream left open. */
async function authenticate(client: TestClient, user: string): Promise<Element> {
  if (!client.header) {
    await client.openStream();
    await client.receiveNamed('stream:features');
  }
  const auth = Buffer.from(`\0${user}\0secret`).toString('base64');
  client.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${auth}</auth>`);
  return client.receive((el) => el.name === 'success' || el.name === 'failure');
}

function occurrences(text: string, line: string): number {
  return text.split(line).length - 1;
}

describe('the server while PostgreSQL is down', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];

  before(async () => {
    const storage = ['--storage', 'postgres', '--postgres-url', pg.url()];
    dataDir = mkdtempSync(join(tmpdir(), 'almanac-pg-outage-'));
    for (const u of ['alice', 'bob', 'carol']) {
      const r = spawnSync(process.execPath, [CLI, 'user', 'add', `${u}@localhost`, 'secret', '--data-dir', dataDir, ...storage], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    // One failed login per address and minute: logins refused during the outage must not use it up.
    server = await serve(dataDir, [...storage, '--limits-sasl-failures-per-minute', '1']);
  });

  after(async () => {
    for (const c of clients) c.destroy();
    if (server) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses what needs storage with retry-later errors, keeps routing, and serves everything again once it is back', async () => {
    const alice = await online(server!, 'alice', 'phone');
    const bob = await online(server!, 'bob', 'laptop');
    clients.push(alice, bob);
    const rest = new RestCaller(server!, 'alice');
    await rest.ok('GET', '/calendars');
    assert.equal((await alice.iq(createNodeIq('create', 'outage'), 'create')).attrs.type, 'result');
    assert.equal((await rosterGet(alice, 'r0')).attrs.type, 'result');

    // A fast shutdown: the test database runs with synchronous_commit=off (test/support/postgres.ts), so an
    // immediate one would also lose its last commits (here, alice's REST token), which is not what this
    // test is about: availability while the database is gone, and recovery when it is back.
    await pg.server().halt('fast');

    const refused = await rosterGet(alice, 'r1');
    assert.equal(refused.attrs.type, 'error', refused.toString());
    const error = refused.getChild('error')!;
    assert.equal(error.attrs.type, 'wait', 'retry after waiting (RFC 6120 8.3.2)');
    assert.ok(error.getChild('internal-server-error', STANZAS), error.toString());
    assert.match(error.getChildText('text', STANZAS) ?? '', /storage is unavailable/);

    const carol = await TestClient.connect(server!.ports.c2s!);
    clients.push(carol);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const failure = await authenticate(carol, 'carol');
      assert.equal(failure.name, 'failure', failure.toString());
      assert.ok(failure.getChild('temporary-auth-failure'), failure.toString());
      assert.match(failure.getChildText('text') ?? '', /unavailable/);
    }
    assert.equal(carol.isClosed, false, 'the stream stays open for a retry');

    const unavailable = await rest.call('GET', '/calendars');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body.error, 'storage_unavailable');

    // Routing needs no store: the block lists it consults (XEP-0191) were loaded when alice and bob bound.
    alice.send(`<message to='${bob.jid}' type='chat' id='m1'><body>no store needed</body></message>`);
    assert.equal((await bob.receiveNamed('message', (el) => el.attrs.id === 'm1')).getChildText('body'), 'no store needed');

    await pg.server().restart();

    assert.equal((await rosterGet(alice, 'r2')).attrs.type, 'result', 'the same process reads the roster again');
    const success = await authenticate(carol, 'carol');
    assert.equal(success.name, 'success', `a login on the same stream succeeds: ${success.toString()}`);
    const newcomer = await online(server!, 'carol', 'tablet');
    clients.push(newcomer);
    assert.equal((await alice.iq(publishIq('pub', 'outage', 'after'), 'pub')).attrs.type, 'result', 'pubsub writes again');
    assert.equal((await rest.call('GET', '/calendars')).status, 200, 'REST reads again');

    assert.equal(server!.child.exitCode, null, 'the process stayed up');
    const log = server!.output();
    assert.equal(occurrences(log, 'storage: PostgreSQL unreachable'), 1, log);
    assert.equal(occurrences(log, 'storage: PostgreSQL reachable again'), 1, log);
  });
});
