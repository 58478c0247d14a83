// Interop, XEP-0124/0206: StanzaJS over BOSH logs in, exchanges messages with a TCP client, subscribes to a
// node of pubsub.localhost and receives its notification, and disconnects cleanly.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Agent } from 'stanza';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { waitFor } from '../support/stanza-events.js';

describe('interop: StanzaJS over BOSH (XEP-0124, XEP-0206)', () => {
  let server: TestServer;
  let erin: Agent | undefined;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer();
    for (const u of ['bob', 'erin']) await server.addUser(u);
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    erin?.disconnect();
    bob?.destroy();
    await server.stop();
  });

  it('StanzaJS logs in over BOSH and its session starts', async () => {
    erin = createClient({
      jid: 'erin@localhost',
      password: 'secret',
      resource: 'stanza',
      transports: { bosh: `http://127.0.0.1:${server.ports.http}/http-bind`, websocket: false },
    });
    const started = waitFor(erin, 'session:started');
    erin.connect();
    await started;
    assert.equal(erin.jid, 'erin@localhost/stanza');
    assert.equal(server.host.sessions.get('erin@localhost/stanza')?.transport, 'bosh');
  });

  it('StanzaJS sends a message to a TCP client', async () => {
    erin!.sendMessage({ to: 'bob@localhost/tcp', type: 'chat', body: 'hello from stanza over bosh' });
    const msg = await bob.receiveNamed('message');
    assert.equal(msg.attrs.from, 'erin@localhost/stanza');
    assert.equal(msg.getChildText('body'), 'hello from stanza over bosh');
  });

  it('StanzaJS receives a message from a TCP client', async () => {
    const arrived = waitFor<{ from: string; body?: string }>(erin!, 'message', (m) => m.body === 'hello stanza over bosh');
    bob.send(`<message to='erin@localhost/stanza' type='chat'><body>hello stanza over bosh</body></message>`);
    assert.equal((await arrived).from, 'bob@localhost/tcp');
  });

  it('StanzaJS subscribes to a node of pubsub.localhost and receives the notification of a publish', async () => {
    const created = await bob.iq(
      `<iq type='set' id='c1' to='pubsub.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='stanza-news'/></pubsub></iq>`,
      'c1',
    );
    assert.equal(created.attrs.type, 'result', created.toString());
    // StanzaJS subscribes its bare JID: notifications reach it once it is available.
    const own = waitFor<{ from: string }>(erin!, 'presence', (p) => p.from === 'erin@localhost/stanza');
    erin!.sendPresence();
    await own;
    const sub = await erin!.subscribeToNode('pubsub.localhost', 'stanza-news');
    assert.equal(sub.state, 'subscribed');
    const published = waitFor<{ from: string; pubsub: { items: { node: string; published: Array<{ id?: string }> } } }>(
      erin!,
      'pubsub:published',
      (m) => m.pubsub.items.node === 'stanza-news',
    );
    const result = await bob.iq(
      `<iq type='set' id='p1' to='pubsub.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='stanza-news'><item id='n1'><entry xmlns='urn:example:news'>moved to 10:00</entry></item></publish></pubsub></iq>`,
      'p1',
    );
    assert.equal(result.attrs.type, 'result', result.toString());
    const note = await published;
    assert.equal(note.from, 'pubsub.localhost');
    assert.equal(note.pubsub.items.published[0]?.id, 'n1');
  });

  it('StanzaJS disconnect() ends the session on the server', async () => {
    const ended = waitFor(erin!, 'disconnected');
    erin!.disconnect();
    await ended;
    erin = undefined;
    const deadline = Date.now() + 5000;
    while (server.host.sessions.get('erin@localhost/stanza') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(server.host.sessions.get('erin@localhost/stanza'), undefined);
  });
});
