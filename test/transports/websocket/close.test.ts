// RFC 7395 section 3.6 (closing: <close/> answered by <close/>, then the WebSocket closing
// handshake) and 3.6.1 (see-other-uri instead of the see-other-host stream error).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { FRAMING, WsTestClient } from './ws-test-client.js';

const EXACT_CLOSE = '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing" />';

describe('closing a WebSocket stream (RFC 7395 section 3.6)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  const connect = async (url = server.wsUrl) => {
    const c = await WsTestClient.connect(url);
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startHttpTestServer({ http: (o) => (o.websocket.closeTimeoutMs = 300) });
    for (const u of ['alice', 'bob']) await server.addUser(u);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('a client <close/> is answered with exactly <close xmlns="urn:ietf:params:xml:ns:xmpp-framing" />, then close code 1000', async () => {
    const c = await connect();
    await c.open();
    await c.receiveNamed('stream:features');
    c.send(`<close xmlns='${FRAMING}'/>`);
    const answer = await c.receiveFrame((f) => f.el?.name === 'close');
    assert.equal(answer.raw, EXACT_CLOSE);
    const { code } = await c.closed;
    assert.equal(code, 1000);
  });

  it('a client <close/> ends the bound session: the resource is gone from the server', async () => {
    const c = await connect();
    const jid = await c.login('alice', 'secret', 'closing');
    assert.ok(server.host.sessions.get(jid));
    c.send(`<close xmlns='${FRAMING}'/>`);
    await c.closed;
    await eventually(() => server.host.sessions.get(jid) === undefined);
  });

  it('a WebSocket dropped without <close/> ends the session implicitly', async () => {
    const c = await connect();
    const jid = await c.login('bob', 'secret', 'dropped');
    c.destroy();
    await eventually(() => server.host.sessions.get(jid) === undefined);
  });

  it('after the server closes the stream it waits for the client <close/> and then ends the WebSocket with 1000', { timeout: 10_000 }, async () => {
    const slow = await startHttpTestServer({ http: (o) => (o.websocket.closeTimeoutMs = 60_000) });
    try {
      const c = await WsTestClient.connect(slow.wsUrl);
      clients.push(c);
      await c.open('unknown.example');
      await c.receiveFrame((f) => f.raw === EXACT_CLOSE);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(c.closeCode, undefined, 'still open while the server waits for our close');
      c.send(`<close xmlns='${FRAMING}'/>`);
      const { code } = await c.closed;
      assert.equal(code, 1000);
    } finally {
      await slow.stop();
    }
  });

  it('after a stream error for bad XML the client <close/> is still honoured and ends the WebSocket with 1000', { timeout: 10_000 }, async () => {
    const slow = await startHttpTestServer({ http: (o) => (o.websocket.closeTimeoutMs = 60_000) });
    try {
      const c = await WsTestClient.connect(slow.wsUrl);
      clients.push(c);
      await c.open();
      c.send('<message><unclosed></message>');
      await c.receiveNamed('stream:error');
      await c.receiveFrame((f) => f.raw === EXACT_CLOSE);
      c.send(`<close xmlns='${FRAMING}'/>`);
      const { code } = await c.closed;
      assert.equal(code, 1000);
    } finally {
      await slow.stop();
    }
  });

  it('a client that never answers the server <close/> is disconnected after the close timeout', async () => {
    const c = await connect();
    await c.open('unknown.example');
    await c.receiveFrame((f) => f.raw === EXACT_CLOSE);
    const { code } = await c.closed;
    assert.equal(code, 1000);
  });

  it('redirect(uri) on a live stream closes it with see-other-uri (3.6.1)', async () => {
    const c = await connect();
    await c.open();
    await c.receiveNamed('stream:features');
    const conn = [...server.web.websocket.connections].at(-1)!;
    conn.redirect('ws://other.example:5280/xmpp-websocket');
    const close = await c.receiveNamed('close');
    assert.equal(close.attrs.xmlns, FRAMING);
    assert.equal(close.attrs['see-other-uri'], 'ws://other.example:5280/xmpp-websocket');
  });
});

describe('see-other-uri redirects configured on the endpoint (RFC 7395 section 3.6.1)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  before(async () => {
    server = await startHttpTestServer({
      http: (o) => (o.websocket.redirectTo = 'ws://other.example/xmpp-websocket'),
    });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('every new stream gets an <open/> followed by <close see-other-uri/> and no features', async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    await c.open();
    const close = await c.receiveNamed('close');
    assert.equal(close.attrs['see-other-uri'], 'ws://other.example/xmpp-websocket');
    assert.equal(close.attrs.xmlns, FRAMING);
    assert.deepEqual(c.pending(), []);
    c.send(`<close xmlns='${FRAMING}'/>`);
    assert.equal((await c.closed).code, 1000);
  });

  it('a wss: stream is never redirected to an unencrypted ws: endpoint', async () => {
    const c = await WsTestClient.connect(server.wssUrl);
    clients.push(c);
    await c.open();
    const features = await c.receiveNamed('stream:features');
    assert.ok(features.getChildElements().length > 0);
  });

  it('a redirect target that is not a ws: or wss: URI is refused at start-up', async () => {
    await assert.rejects(
      startHttpTestServer({ http: (o) => (o.websocket.redirectTo = 'https://other.example/') }),
      /ws: or wss:/,
    );
  });
});

async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
