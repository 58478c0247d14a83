// The standalone connection manager (`almanac connection-manager`) in front of almanac's own TCP port: it
// negotiates STARTTLS upstream, relays BOSH (XEP-0124/0206) and WebSocket (RFC 7395) sessions, honours
// 'route' only for allowed servers, reports an upstream stream error as 'remote-stream-error' and an
// unreachable server as 'remote-connection-failed'. Clients: Strophe.js over BOSH, StanzaJS over WebSocket.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createClient, type Agent } from 'stanza';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { startTestConnectionManager, type TestConnectionManager } from '../support/connection-manager-harness.js';
import { BoshTestSession, bodyXml, creationAttrs, httpRequest, randomRid } from '../support/bosh-http-client.js';
import { loadStrophe, nextStanza, stropheConnect, waitForDisconnect, type StropheConnection, type StropheModule } from '../support/strophe-node.js';
import { spawnAlmanac } from '../cli/cli-process.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';

describe('connection manager in front of almanac', () => {
  let server: TestServer;
  let cm: TestConnectionManager;
  let strophe: StropheModule;
  let conn: StropheConnection | undefined;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer();
    for (const u of ['bob', 'dave', 'erin']) await server.addUser(u);
    cm = await startTestConnectionManager(`127.0.0.1:${server.ports.c2s}`, (c) => (c.connectionManager.routeAllow = [`localhost:${server.ports.c2s}`]));
    strophe = await loadStrophe();
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    if (conn?.connected) conn.disconnect();
    bob?.destroy();
    await cm?.stop();
    await server?.stop();
  });

  it('Strophe.js logs in over BOSH through it; upstream the stream is TCP with STARTTLS', async () => {
    conn = new strophe.Strophe.Connection(cm.boshUrl);
    await stropheConnect(strophe, conn, 'dave@localhost/strophe', 'secret');
    const session = server.host.sessions.get('dave@localhost/strophe');
    assert.equal(session?.transport, 'tcp');
    assert.equal(session?.secure, true);
  });

  it('messages pass both ways between the BOSH client and a TCP client', async () => {
    conn!.send(strophe.$msg({ to: 'bob@localhost/tcp', type: 'chat' }).c('body').t('via the connection manager'));
    assert.equal((await bob.receiveNamed('message')).getChildText('body'), 'via the connection manager');
    const arrived = nextStanza(conn!, 'message', (el) => el.getAttribute('from') === 'bob@localhost/tcp');
    bob.send(`<message to='dave@localhost/strophe' type='chat'><body>back to you</body></message>`);
    assert.equal((await arrived).getElementsByTagName('body')[0]?.textContent, 'back to you');
  });

  it('the BOSH client receives a pubsub notification relayed from pubsub.localhost', async () => {
    await bob.iq(`<iq type='set' id='c1' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><create node='cm-news'/></pubsub></iq>`, 'c1');
    await new Promise((resolve, reject) =>
      conn!.sendIQ(strophe.$iq({ type: 'set', to: 'pubsub.localhost' }).c('pubsub', { xmlns: PUBSUB }).c('subscribe', { node: 'cm-news', jid: 'dave@localhost/strophe' }), resolve, reject),
    );
    const notified = nextStanza(conn!, 'message', (el) => el.getElementsByTagName('event').length > 0);
    await bob.iq(`<iq type='set' id='p1' to='pubsub.localhost'><pubsub xmlns='${PUBSUB}'><publish node='cm-news'><item id='x1'><entry xmlns='urn:example'>relayed</entry></item></publish></pubsub></iq>`, 'p1');
    const note = await notified;
    assert.equal(note.getElementsByTagName('item')[0]?.getAttribute('id'), 'x1');
    conn!.disconnect('done');
    await waitForDisconnect(conn!);
    const deadline = Date.now() + 5000;
    while (server.host.sessions.get('dave@localhost/strophe') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.host.sessions.get('dave@localhost/strophe'), undefined);
  });

  it('StanzaJS logs in over WebSocket through it and exchanges a message with the TCP client', async () => {
    const erin: Agent = createClient({ jid: 'erin@localhost', password: 'secret', resource: 'ws', transports: { websocket: cm.wsUrl, bosh: false } });
    try {
      const started = new Promise((resolve) => erin.once('session:started', resolve));
      erin.connect();
      await started;
      assert.equal(server.host.sessions.get('erin@localhost/ws')?.transport, 'tcp');
      erin.sendMessage({ to: 'bob@localhost/tcp', type: 'chat', body: 'websocket relay' });
      assert.equal((await bob.receiveNamed('message')).getChildText('body'), 'websocket relay');
      const back = new Promise<{ body?: string }>((resolve) => erin.on('message', (m) => m.body === 'ws back' && resolve(m)));
      bob.send(`<message to='erin@localhost/ws' type='chat'><body>ws back</body></message>`);
      assert.equal((await back).body, 'ws back');
    } finally {
      const gone = new Promise((resolve) => erin.once('disconnected', resolve));
      erin.disconnect();
      await gone;
    }
  });

  it("'route' naming an allowed server is used; another server is host-unknown, a malformed route improper-addressing", async () => {
    const allowed = await BoshTestSession.create(cm.boshUrl, { route: `xmpp:localhost:${server.ports.c2s}` });
    assert.match(allowed.creation.text, /<mechanisms/);
    const refused = await httpRequest(cm.boshUrl, bodyXml(creationAttrs(randomRid(), { route: 'xmpp:192.0.2.1:5222' })));
    assert.equal(refused.body?.attrs.type, 'terminate');
    assert.equal(refused.body?.attrs.condition, 'host-unknown');
    const malformed = await httpRequest(cm.boshUrl, bodyXml(creationAttrs(randomRid(), { route: 'http://localhost/' })));
    assert.equal(malformed.body?.attrs.condition, 'improper-addressing');
  });

  it("an upstream stream error reaches the client as 'remote-stream-error' with the <stream:error/> inside", async () => {
    const res = await httpRequest(cm.boshUrl, bodyXml(creationAttrs(randomRid(), { to: 'not-served.example' })));
    assert.equal(res.status, 200);
    assert.equal(res.body?.attrs.type, 'terminate');
    assert.equal(res.body?.attrs.condition, 'remote-stream-error');
    const error = res.body?.getChildElements().find((el) => el.name === 'stream:error');
    assert.ok(error?.getChild('host-unknown', 'urn:ietf:params:xml:ns:xmpp-streams'), res.text);
  });
});

describe('connection manager: HTTPS and sessions that expire', () => {
  let server: TestServer;
  let cm: TestConnectionManager;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer();
    for (const u of ['bob', 'fay']) await server.addUser(u);
    const tls = join(server.config.dataDir, 'tls');
    cm = await startTestConnectionManager(`127.0.0.1:${server.ports.c2s}`, (c) => {
      c.tls.certFile = join(tls, 'localhost.crt');
      c.tls.keyFile = join(tls, 'localhost.key');
      c.bosh.maxInactivity = 1;
      c.bosh.polling = 0;
    });
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
  });
  after(async () => {
    bob?.destroy();
    await cm?.stop();
    await server?.stop();
  });

  it('with tls.cert_file set it serves BOSH over HTTPS too', async () => {
    assert.ok(cm.ports.https! > 0);
    const session = await BoshTestSession.create(`https://127.0.0.1:${cm.ports.https}/http-bind`);
    assert.match(session.creation.text, /<mechanisms/);
  });

  it('stanzas a vanished client never collected are answered to the server: IQ service-unavailable, message recipient-unavailable', async () => {
    const fay = await BoshTestSession.create(cm.boshUrl, { wait: 1 });
    const jid = await fay.login('fay', 'secret', 'gone');
    // fay sends nothing more; what comes for her waits in the queue of a session about to expire.
    bob.send(`<iq type='get' id='q1' to='${jid}'><query xmlns='jabber:iq:version'/></iq>`);
    bob.send(`<message to='${jid}' type='chat' id='m1'><body>still there?</body></message>`);
    const iq = await bob.receive((el) => el.name === 'iq' && el.attrs.id === 'q1', 8000);
    assert.equal(iq.attrs.type, 'error');
    assert.ok(iq.getChild('error')?.getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas'), iq.toString());
    const message = await bob.receive((el) => el.name === 'message' && el.attrs.id === 'm1', 8000);
    assert.equal(message.attrs.type, 'error');
    assert.ok(message.getChild('error')?.getChild('recipient-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas'), message.toString());
  });
});

describe('connection manager with an unreachable server', () => {
  it("a session answers 'remote-connection-failed'", async () => {
    const cm = await startTestConnectionManager('127.0.0.1:1');
    try {
      const res = await httpRequest(cm.boshUrl, bodyXml(creationAttrs(randomRid())));
      assert.equal(res.status, 200);
      assert.equal(res.body?.attrs.type, 'terminate');
      assert.equal(res.body?.attrs.condition, 'remote-connection-failed');
    } finally {
      await cm.stop();
    }
  });
});

describe('connection manager from the command line', () => {
  it('`almanac connection-manager --upstream HOST:PORT --http-port 0` prints a ready line and serves BOSH', async () => {
    const server = await startTestServer();
    const child = spawnAlmanac(['connection-manager', '--upstream', `127.0.0.1:${server.ports.c2s}`, '--http-port', '0', '--log-level', 'silent']);
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('ready'));
          if (line) resolve(line);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const port = Number(/http=(\d+)/.exec(ready)?.[1]);
      assert.ok(port > 0, ready);
      const session = await BoshTestSession.create(`http://127.0.0.1:${port}/http-bind`);
      assert.match(session.creation.text, /<mechanisms/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await server.stop();
    }
  });
});
