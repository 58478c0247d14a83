// Interop, XEP-0124/0206: Strophe.js 5 (its browser build, on a small DOM and XMLHttpRequest for Node) logs in
// over BOSH, exchanges messages with a TCP client, subscribes to a node of pubsub.localhost and receives its
// notification, then disconnects cleanly.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { loadStrophe, nextStanza, stropheConnect, waitForDisconnect, type StropheConnection, type StropheElement, type StropheModule } from '../support/strophe-node.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const EVENT = 'http://jabber.org/protocol/pubsub#event';

describe('interop: Strophe.js over BOSH (XEP-0124, XEP-0206)', () => {
  let server: TestServer;
  let strophe: StropheModule;
  let conn: StropheConnection;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer();
    for (const u of ['bob', 'dave']) await server.addUser(u);
    strophe = await loadStrophe();
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    if (conn?.connected) conn.disconnect();
    bob?.destroy();
    await server.stop();
  });

  it('Strophe.js logs in over BOSH (SASL, restart, bind) and its session is a BOSH session', async () => {
    conn = new strophe.Strophe.Connection(`http://127.0.0.1:${server.ports.http}/http-bind`);
    await stropheConnect(strophe, conn, 'dave@localhost/strophe', 'secret');
    assert.equal(conn.jid, 'dave@localhost/strophe');
    assert.equal(server.host.sessions.get('dave@localhost/strophe')?.transport, 'bosh');
  });

  it('Strophe.js sends a message to a TCP client', async () => {
    conn.send(strophe.$msg({ to: 'bob@localhost/tcp', type: 'chat' }).c('body').t('hello from strophe'));
    const msg = await bob.receiveNamed('message');
    assert.equal(msg.attrs.from, 'dave@localhost/strophe');
    assert.equal(msg.getChildText('body'), 'hello from strophe');
  });

  it('Strophe.js receives a message from a TCP client', async () => {
    const arrived = nextStanza(conn, 'message', (el) => el.getAttribute('from') === 'bob@localhost/tcp');
    bob.send(`<message to='dave@localhost/strophe' type='chat'><body>hello strophe</body></message>`);
    const msg = await arrived;
    assert.equal(msg.getElementsByTagName('body')[0]?.textContent, 'hello strophe');
  });

  it('Strophe.js subscribes to a node of pubsub.localhost and receives the notification of a publish', async () => {
    const created = await bob.iq(
      `<iq type='set' id='create1' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><create node='strophe-news'/></pubsub></iq>`,
      'create1',
    );
    assert.equal(created.attrs.type, 'result', created.toString());
    const subscribed = await new Promise<StropheElement>((resolve, reject) =>
      conn.sendIQ(
        strophe.$iq({ type: 'set', to: 'pubsub.localhost' }).c('pubsub', { xmlns: PUBSUB }).c('subscribe', { node: 'strophe-news', jid: 'dave@localhost/strophe' }),
        resolve,
        (err) => reject(new Error(`subscribe failed: ${err?.nodeName}`)),
      ),
    );
    assert.equal(subscribed.getElementsByTagName('subscription')[0]?.getAttribute('subscription'), 'subscribed');

    const notified = nextStanza(conn, 'message', (el) => el.getElementsByTagName('event').length > 0);
    const published = await bob.iq(
      `<iq type='set' id='pub1' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><publish node='strophe-news'><item id='i1'><entry xmlns='urn:example:news'>calendar changed</entry></item></publish></pubsub></iq>`,
      'pub1',
    );
    assert.equal(published.attrs.type, 'result', published.toString());
    const note = await notified;
    assert.equal(note.getAttribute('from'), 'pubsub.localhost');
    const event = note.getElementsByTagName('event')[0]!;
    assert.equal((event as unknown as { namespaceURI: string }).namespaceURI, EVENT);
    assert.equal(note.getElementsByTagName('item')[0]?.getAttribute('id'), 'i1');
    assert.equal(note.getElementsByTagName('entry')[0]?.textContent, 'calendar changed');
  });

  it('Strophe.js disconnect() terminates the BOSH session and the server ends the XMPP session', async () => {
    conn.disconnect('done');
    await waitForDisconnect(conn);
    const deadline = Date.now() + 5000;
    while (server.host.sessions.get('dave@localhost/strophe') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.host.sessions.get('dave@localhost/strophe'), undefined);
  });
});
