// RFC 7395 section 3.8: no whitespace keepalives over WebSocket; the server checks liveness with
// WebSocket pings every websocket.ping_interval, and a peer that leaves a ping unanswered until the
// next interval is disconnected.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { WsTestClient, streamErrorCondition } from './ws-test-client.js';

describe('WebSocket keepalive pings (RFC 7395 section 3.8)', () => {
  // Live peers get an interval long enough that a busy test machine cannot starve their pong;
  // the dead peer gets a short one, since nothing it could do in time changes the outcome.
  let server: HttpTestServer;
  let fast: HttpTestServer;
  const clients: WsTestClient[] = [];
  before(async () => {
    server = await startHttpTestServer({ http: (o) => (o.websocket.pingIntervalSeconds = 0.25) });
    fast = await startHttpTestServer({ http: (o) => (o.websocket.pingIntervalSeconds = 0.05) });
    await server.addUser('alice');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
    await fast.stop();
  });

  it('an idle connection receives WebSocket pings, and answering them keeps it open', async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    await c.login('alice', 'secret', 'idle');
    await until(() => c.pings >= 3);
    assert.equal(c.closeCode, undefined);
    // Still a working stream after several intervals.
    const pong = await c.iq(`<iq xmlns='jabber:client' type='get' id='k1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'k1');
    assert.equal(pong.attrs.type, 'result');
  });

  it('a peer that does not answer a ping gets connection-timeout and is disconnected', async () => {
    const c = await WsTestClient.connect(fast.wsUrl, { autoPong: false });
    clients.push(c);
    await c.open();
    const err = await c.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'connection-timeout');
    await c.closed;
    assert.ok(c.pings >= 1);
  });

  it('no whitespace keepalive is ever sent: every server message is an element', async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    await c.login('alice', 'secret', 'frames');
    await until(() => c.pings >= 2);
    assert.ok(c.frames.every((f) => f.startsWith('<')), JSON.stringify(c.frames));
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
