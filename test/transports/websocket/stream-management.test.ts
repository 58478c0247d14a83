// XEP-0198 over WebSocket (RFC 7395 carries the same stream engine): a WebSocket stream that breaks
// is resumed on a new WebSocket, and what the client never acknowledged is resent; a TCP client is
// the other party.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TestClient } from '../../support/test-client.js';
import { WsTestClient } from './ws-test-client.js';

const SM = 'urn:xmpp:sm:3';

describe('stream management over WebSocket (XEP-0198, RFC 7395)', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer();
    url = `ws://127.0.0.1:${server.ports.http}/xmpp-websocket`;
    await server.addUser('alice');
    await server.addUser('bob');
  });
  after(() => server.stop());

  it('a broken WebSocket stream is resumed on a new one with the unacknowledged stanzas resent', async () => {
    const bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    const alice = await WsTestClient.connect(url);
    await alice.login('alice', 'secret', 'browser');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    alice.destroy(); // the tab's network drops
    await new Promise((r) => setTimeout(r, 100));
    bob.send(`<message to='alice@localhost/browser' id='while-away'><body>are you there?</body></message>`);
    await bob.iq(`<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'sync');

    const again = await WsTestClient.connect(url);
    await again.open();
    await again.receiveNamed('stream:features');
    again.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0secret').toString('base64')}</auth>`);
    await again.receiveNamed('success');
    await again.open();
    const features = await again.receiveNamed('stream:features');
    assert.ok(features.getChild('sm', SM));
    again.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    assert.equal((await again.receiveNamed('resumed')).attrs.previd, id);
    const msg = await again.receiveNamed('message');
    assert.equal(msg.attrs.id, 'while-away');
    // the resumed session answers as before
    bob.send(`<message to='alice@localhost/browser' id='after'><body>good</body></message>`);
    assert.equal((await again.receiveNamed('message', (el) => el.attrs.id === 'after')).getChildText('body'), 'good');
    again.close();
    bob.destroy();
  });
});
