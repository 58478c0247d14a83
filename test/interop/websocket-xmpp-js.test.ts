// Interop, RFC 7395: @xmpp/client (xmpp.js) over WebSocket with its stock mechanisms logs in,
// exchanges messages with a TCP client through almanac, and closes its stream cleanly; and the
// same over wss://, where the stream counts as encrypted.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, xml } from '@xmpp/client';
import { startHttpTestServer, type HttpTestServer } from '../support/http-test-server.js';
import { TestClient } from '../support/test-client.js';
import { nextStanza as next } from '../support/xmpp-js-client.js';

// The test server's certificate is self-signed; this process only talks to it.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

async function startOverWebSocket(service: string, username: string, resource: string): Promise<any> {
  const xmpp = client({ service, domain: 'localhost', username, password: 'secret', resource });
  xmpp.on('error', () => undefined);
  await xmpp.start();
  return xmpp;
}

describe('interop: @xmpp/client over WebSocket (RFC 7395)', () => {
  let server: HttpTestServer;
  let alice: any;
  let carol: any;
  let bob: TestClient;
  before(async () => {
    server = await startHttpTestServer();
    for (const u of ['alice', 'bob', 'carol']) await server.addUser(u);
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    await alice?.stop().catch(() => undefined);
    await carol?.stop().catch(() => undefined);
    bob?.destroy();
    await server.stop();
  });

  it('xmpp.js logs in over ws:// with its preferred mechanism and binds a resource', async () => {
    alice = await startOverWebSocket(server.wsUrl, 'alice', 'xmppjs');
    assert.equal(alice.jid.toString(), 'alice@localhost/xmppjs');
    const session = server.host.sessions.get('alice@localhost/xmppjs')!;
    assert.equal(session.transport, 'websocket');
    assert.equal(session.mechanism, 'SCRAM-SHA-1');
  });

  it('xmpp.js sends a message to a TCP client', async () => {
    await alice.send(xml('message', { to: 'bob@localhost/tcp', type: 'chat' }, xml('body', {}, 'hello over websocket')));
    const msg = await bob.receiveNamed('message');
    assert.equal(msg.attrs.from, 'alice@localhost/xmppjs');
    assert.equal(msg.getChildText('body'), 'hello over websocket');
  });

  it('xmpp.js receives a message from a TCP client', async () => {
    const arrived = next(alice, (s) => s.is('message'));
    bob.send(`<message to='alice@localhost/xmppjs' type='chat'><body>hello over tcp</body></message>`);
    const msg = await arrived;
    assert.equal(msg.attrs.from, 'bob@localhost/tcp');
    assert.equal(msg.getChildText('body'), 'hello over tcp');
  });

  it('xmpp.js gets its IQ answered (round trip through the router and back over the socket)', async () => {
    await assert.doesNotReject(alice.iqCaller.get(xml('ping', { xmlns: 'urn:xmpp:ping' }), 'localhost'));
  });

  it('xmpp.js stop() closes the stream with <close/> and the server ends the session', async () => {
    await alice.stop();
    alice = undefined;
    assert.equal(server.host.sessions.get('alice@localhost/xmppjs'), undefined);
  });

  it('over wss:// the session is encrypted', async () => {
    carol = await startOverWebSocket(server.wssUrl, 'carol', 'secure');
    const session = server.host.sessions.get('carol@localhost/secure')!;
    assert.equal(session.transport, 'websocket');
    assert.equal(session.secure, true);
  });
});
