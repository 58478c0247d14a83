// End to end on PostgreSQL (`--storage postgres --postgres-url URL`): a server logs a user in and keeps
// a roster change (RFC 6121 section 2) in the database, and a second server with an empty data
// directory on the same database logs the same user in and returns the same roster.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { usePostgres } from '../support/postgres.js';

const ROSTER = 'jabber:iq:roster';
const pg = usePostgres();

async function startOnPostgres(): Promise<TestServer> {
  return startTestServer((c) => {
    c.storage = 'postgres';
    c.postgresUrl = pg.url();
  });
}

describe('the server on PostgreSQL', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  before(async () => {
    servers.push(await startOnPostgres());
    await servers[0]!.addUser('alice', 'wonderland');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.stop();
  });

  it('a user logs in and sets a roster item; the result carries the stored version', async () => {
    const alice = await TestClient.connect(servers[0]!.ports.c2s!);
    clients.push(alice);
    assert.equal(await alice.login('alice', 'wonderland', 'phone'), 'alice@localhost/phone');
    // Requesting the roster makes this resource interested, so it receives the push (2.1.6).
    const empty = await alice.iq(`<iq type='get' id='r0'><query xmlns='${ROSTER}'/></iq>`, 'r0');
    assert.equal(empty.getChild('query', ROSTER)!.attrs.ver, '0');
    const set = await alice.iq(
      `<iq type='set' id='s1'><query xmlns='${ROSTER}'><item jid='bob@localhost' name='Bob'><group>Friends</group></item></query></iq>`,
      's1',
    );
    assert.equal(set.attrs.type, 'result');
    const push = await alice.receive((el) => el.name === 'iq' && el.attrs.type === 'set');
    assert.equal(push.getChild('query', ROSTER)!.attrs.ver, '1');
  });

  it('a second server on the same database knows the account and returns the roster', async () => {
    servers.push(await startOnPostgres());
    const alice = await TestClient.connect(servers[1]!.ports.c2s!);
    clients.push(alice);
    await alice.login('alice', 'wonderland', 'laptop');
    const res = await alice.iq(`<iq type='get' id='r1'><query xmlns='${ROSTER}'/></iq>`, 'r1');
    const query = res.getChild('query', ROSTER)!;
    assert.equal(query.attrs.ver, '1');
    const items = query.getChildren('item');
    assert.deepEqual(
      items.map((i) => [i.attrs.jid, i.attrs.name, i.getChildText('group')]),
      [['bob@localhost', 'Bob', 'Friends']],
    );
  });

  it('a wrong password is refused against the stored SCRAM keys', async () => {
    const mallory = await TestClient.connect(servers[0]!.ports.c2s!);
    clients.push(mallory);
    await assert.rejects(mallory.login('alice', 'guess'), /login failed/);
  });
});
