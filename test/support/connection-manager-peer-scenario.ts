// The connection manager in front of another XMPP server (Prosody or ejabberd from Debian): Strophe.js logs in
// over BOSH through it, exchanges messages with a TCP client of that server, and receives a pubsub
// notification from the server's own pubsub.localhost. Shared by the per-server interop test files.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from './test-client.js';
import { startTestConnectionManager, type TestConnectionManager } from './connection-manager-harness.js';
import { bodyXml, creationAttrs, httpRequest, randomRid } from './bosh-http-client.js';
import { loadStrophe, nextStanza, stropheConnect, waitForDisconnect, type StropheConnection, type StropheModule } from './strophe-node.js';
import { startPeer, type PeerKind, type PeerServer } from './peer-servers.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';

export function connectionManagerPeerScenario(kind: PeerKind): void {
  describe(`connection manager in front of ${kind}`, () => {
    let peer: PeerServer;
    let cm: TestConnectionManager;
    let strophe: StropheModule;
    let conn: StropheConnection | undefined;
    let owner: TestClient;
    before(async () => {
      peer = await startPeer(kind);
      cm = await startTestConnectionManager(`127.0.0.1:${peer.c2sPort}`);
      strophe = await loadStrophe();
      owner = await TestClient.connect(peer.c2sPort);
      await owner.login('bench0', 'secret', 'tcp');
    });
    after(async () => {
      if (conn?.connected) conn.disconnect();
      owner?.destroy();
      await cm?.stop();
      await peer?.stop();
    });

    it(`Strophe.js logs in to ${kind} over BOSH through the connection manager`, async () => {
      conn = new strophe.Strophe.Connection(cm.boshUrl);
      await stropheConnect(strophe, conn, 'bench1@localhost/strophe', 'secret');
      assert.equal(conn.jid, 'bench1@localhost/strophe');
    });

    it(`messages pass both ways with a TCP client of ${kind}`, async () => {
      conn!.send(strophe.$msg({ to: 'bench0@localhost/tcp', type: 'chat' }).c('body').t(`hello ${kind}`));
      const got = await owner.receiveNamed('message');
      assert.equal(got.attrs.from, 'bench1@localhost/strophe');
      assert.equal(got.getChildText('body'), `hello ${kind}`);
      const arrived = nextStanza(conn!, 'message', (el) => el.getAttribute('from') === 'bench0@localhost/tcp');
      owner.send(`<message to='bench1@localhost/strophe' type='chat'><body>hello strophe</body></message>`);
      assert.equal((await arrived).getElementsByTagName('body')[0]?.textContent, 'hello strophe');
    });

    it(`a pubsub notification from ${kind}'s pubsub.localhost reaches the BOSH client`, async () => {
      const node = `cm-${kind}-${randomRid()}`;
      const created = await owner.iq(`<iq type='set' id='create' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><create node='${node}'/></pubsub></iq>`, 'create');
      assert.equal(created.attrs.type, 'result', created.toString());
      await new Promise((resolve, reject) =>
        conn!.sendIQ(
          strophe.$iq({ type: 'set', to: 'pubsub.localhost' }).c('pubsub', { xmlns: PUBSUB }).c('subscribe', { node, jid: 'bench1@localhost/strophe' }),
          resolve,
          () => reject(new Error('subscribe failed')),
        ),
      );
      const notified = nextStanza(conn!, 'message', (el) => el.getElementsByTagName('event').length > 0, 10_000);
      const published = await owner.iq(
        `<iq type='set' id='publish' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><publish node='${node}'><item id='it1'><entry xmlns='urn:example'>from ${kind}</entry></item></publish></pubsub></iq>`,
        'publish',
      );
      assert.equal(published.attrs.type, 'result', published.toString());
      const note = await notified;
      assert.equal(note.getAttribute('from'), 'pubsub.localhost');
      assert.equal(note.getElementsByTagName('item')[0]?.getAttribute('id'), 'it1');
      assert.equal(note.getElementsByTagName('entry')[0]?.textContent, `from ${kind}`);
    });

    it('Strophe.js disconnects cleanly', async () => {
      conn!.disconnect('done');
      await waitForDisconnect(conn!);
    });

    it(`a stream error from ${kind} reaches the client as 'remote-stream-error'`, async () => {
      const res = await httpRequest(cm.boshUrl, bodyXml(creationAttrs(randomRid(), { to: 'not-served.example' })));
      assert.equal(res.body?.attrs.type, 'terminate');
      assert.equal(res.body?.attrs.condition, 'remote-stream-error');
      assert.ok(res.body?.getChildElements().some((el) => el.name === 'stream:error'), res.text);
    });
  });
}
