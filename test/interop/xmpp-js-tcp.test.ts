// Interop: two @xmpp/client (xmpp.js) clients over STARTTLS with SCRAM-SHA-256 log in, manage
// their rosters, subscribe to each other's presence and exchange messages through almanac.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { nextStanza as next, startXmppJs } from '../support/xmpp-js-client.js';

// The test server's certificate is self-signed; this process only talks to it.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

describe('interop: @xmpp/client over STARTTLS with SCRAM-SHA-256', () => {
  let server: TestServer;
  let alice: any;
  let bob: any;
  before(async () => {
    server = await startTestServer((c) => (c.requireTls = true));
    await server.addUser('alice');
    await server.addUser('bob');
  });
  after(async () => {
    await alice?.stop().catch(() => undefined);
    await bob?.stop().catch(() => undefined);
    await server.stop();
  });

  it('alice and bob log in over STARTTLS with SCRAM-SHA-256', async () => {
    alice = await startXmppJs({ port: server.ports.c2s!, username: 'alice', resource: 'xmppjs' });
    bob = await startXmppJs({ port: server.ports.c2s!, username: 'bob', resource: 'xmppjs' });
    assert.equal(alice.jid.toString(), 'alice@localhost/xmppjs');
    assert.equal(bob.jid.toString(), 'bob@localhost/xmppjs');
    for (const jid of ['alice@localhost/xmppjs', 'bob@localhost/xmppjs']) {
      const session = server.host.sessions.get(jid)!;
      assert.equal(session.mechanism, 'SCRAM-SHA-256');
      assert.equal(session.secure, true, 'STARTTLS was negotiated');
    }
  });

  it('alice adds bob to her roster and reads it back', async () => {
    await alice.iqCaller.set(xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid: 'bob@localhost', name: 'Bob' })));
    const roster = await alice.iqCaller.get(xml('query', { xmlns: 'jabber:iq:roster' }));
    assert.deepEqual(roster.getChildren('item').map((i: any) => i.attrs.jid), ['bob@localhost']);
  });

  it('alice subscribes to bob\'s presence, bob approves, alice sees bob online', async () => {
    await bob.send(xml('presence'));
    await alice.send(xml('presence'));
    const request = next(bob, (s) => s.is('presence') && s.attrs.type === 'subscribe');
    await alice.send(xml('presence', { to: 'bob@localhost', type: 'subscribe' }));
    assert.equal((await request).attrs.from, 'alice@localhost');
    const online = next(alice, (s) => s.is('presence') && s.attrs.from === 'bob@localhost/xmppjs' && !s.attrs.type);
    await bob.send(xml('presence', { to: 'alice@localhost', type: 'subscribed' }));
    assert.ok(await online);
  });

  it('alice and bob exchange messages', async () => {
    const atBob = next(bob, (s) => s.is('message'));
    await alice.send(xml('message', { to: 'bob@localhost', type: 'chat' }, xml('body', {}, 'hello bob')));
    const m1 = await atBob;
    assert.equal(m1.getChildText('body'), 'hello bob');
    assert.equal(m1.attrs.from, 'alice@localhost/xmppjs');
    const atAlice = next(alice, (s) => s.is('message'));
    await bob.send(xml('message', { to: m1.attrs.from, type: 'chat' }, xml('body', {}, 'hello alice')));
    assert.equal((await atAlice).getChildText('body'), 'hello alice');
  });
});
