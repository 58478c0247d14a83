// XEP-0191 enforcement when the block list store cannot be read (a database outage, docs/CLUSTER.md
// "PostgreSQL unavailable"): the list is loaded when a session binds, so traffic does not wait for the
// store; and if a list still cannot be read, the stanza goes through unfiltered (with a warning) rather
// than being bounced with internal-server-error: a block not applied for a while loses nothing.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const BLOCKING = 'urn:xmpp:blocking';

describe('blocking while the block list store fails', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  /** Accounts whose list the store refuses to read. */
  const failing = new Set<string>();
  let reads = 0;

  const connect = async (user: string, resource: string) => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.online();
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startTestServer();
    for (const u of ['alice', 'bob', 'carol', 'dave']) await server.addUser(u);
    const store = server.host.stores.blocklist;
    const list = store.list.bind(store);
    store.list = async (user) => {
      reads++;
      if (failing.has(user)) throw new Error('connect ECONNREFUSED (test)');
      return list(user);
    };
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('a message between users whose lists cannot be read is delivered, not bounced', async () => {
    failing.add('alice').add('bob');
    const alice = await connect('alice', 'a');
    const bob = await connect('bob', 'b');
    alice.send(`<message to='${bob.jid}' type='chat' id='m1'><body>through</body></message>`);
    assert.equal((await bob.receiveNamed('message', (el) => el.attrs.id === 'm1')).getChildText('body'), 'through');
    assert.equal(await alice.nothing((el) => el.name === 'message' && el.attrs.type === 'error'), undefined);
  });

  it('a list loaded at bind serves enforcement during a later store failure', async () => {
    const carol = await connect('carol', 'c');
    const dave = await connect('dave', 'd');
    const res = await carol.iq(`<iq type='set' id='blk'><block xmlns='${BLOCKING}'><item jid='dave@localhost'/></block></iq>`, 'blk');
    assert.equal(res.attrs.type, 'result');
    failing.add('carol').add('dave');
    const before = reads;
    dave.send(`<message to='${carol.jid}' type='chat' id='m2'><body>blocked?</body></message>`);
    const bounced = await dave.receiveNamed('message', (el) => el.attrs.id === 'm2');
    assert.equal(bounced.attrs.type, 'error');
    assert.ok(bounced.getChild('error')!.getChild('service-unavailable'));
    assert.equal(reads, before, 'decided from memory');
  });
});
