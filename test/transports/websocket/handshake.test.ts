// RFC 7395 section 3.1: the WebSocket opening handshake at /xmpp-websocket with the 'xmpp'
// subprotocol, on both the HTTP and the HTTPS listener, plus the origin and admission checks.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { ConnectionLimiter } from '../../../src/transports/connection-limiter.js';
import { WsTestClient } from './ws-test-client.js';

describe('the WebSocket handshake (RFC 7395 section 3.1)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  const connect = async (url: string, opts: Parameters<typeof WsTestClient.connect>[1] = {}) => {
    const c = await WsTestClient.connect(url, opts);
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startHttpTestServer({ http: (o) => (o.corsOrigins = ['https://app.example']) });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it("the server selects the 'xmpp' subprotocol the client offers", async () => {
    const c = await connect(server.wsUrl);
    assert.equal(c.ws.protocol, 'xmpp');
  });

  it("'xmpp' is selected when the client offers it among other subprotocols", async () => {
    const c = await connect(server.wsUrl, { protocols: ['chat', 'xmpp'] });
    assert.equal(c.ws.protocol, 'xmpp');
  });

  it("an upgrade without the 'xmpp' subprotocol is refused with HTTP 400", async () => {
    await assert.rejects(connect(server.wsUrl, { protocols: [] }), /HTTP 400/);
    await assert.rejects(connect(server.wsUrl, { protocols: ['chat'] }), /HTTP 400/);
  });

  it('an upgrade on another path is refused with HTTP 404', async () => {
    await assert.rejects(connect(server.wsUrl.replace('/xmpp-websocket', '/ws')), /HTTP 404/);
  });

  it('the endpoint answers with a query string on its path', async () => {
    const c = await connect(`${server.wsUrl}?session=1`);
    assert.equal(c.ws.protocol, 'xmpp');
  });

  it('the same endpoint is served over HTTPS (wss:)', async () => {
    const c = await connect(server.wssUrl);
    assert.equal(c.ws.protocol, 'xmpp');
  });

  it('a browser origin outside the configured origins is refused with HTTP 403', async () => {
    await assert.rejects(connect(server.wsUrl, { headers: { Origin: 'https://evil.example' } }), /HTTP 403/);
  });

  it('a configured browser origin is accepted', async () => {
    const c = await connect(server.wsUrl, { headers: { Origin: 'https://app.example' } });
    assert.equal(c.ws.protocol, 'xmpp');
  });

});

describe('per-address admission of WebSocket streams (DESIGN.md section 8)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  const connect = async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    return c;
  };
  before(async () => {
    // Two streams per address, one of them still unauthenticated.
    server = await startHttpTestServer({ http: (o) => (o.limiter = new ConnectionLimiter(2, 1)) });
    for (const u of ['alice', 'bob']) await server.addUser(u);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('an address over its unauthenticated-stream limit is refused with HTTP 429', async () => {
    const first = await connect();
    await assert.rejects(connect(), /HTTP 429/);
    await first.login('alice', 'secret', 'one');
  });

  it('authenticating frees the unauthenticated place; the total per address still applies', async () => {
    const second = await connect();
    await second.login('bob', 'secret', 'two');
    await assert.rejects(connect(), /HTTP 429/);
  });

  it('a closed WebSocket gives its place back', async () => {
    clients.at(-1)!.close();
    await clients.at(-1)!.closed;
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        const again = await connect();
        assert.equal(again.ws.protocol, 'xmpp');
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
});
