// DESIGN.md section 8 limits on TCP streams: streams and unauthenticated streams per address,
// bytes and stanzas per second (policy-violation beyond them), and a reader too slow for its
// queue being cut off while everyone else is served.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const conditionOf = (el: { getChildElements(): { name: string }[] }) => el.getChildElements()[0]?.name;

describe('limits per address and per stream', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.maxConnectionsPerAddress = 6;
      c.limits.maxUnauthenticatedPerAddress = 3;
      c.limits.stanzasPerSecond = 20;
      c.limits.bytesPerSecond = 20_000;
      c.limits.outboundQueueBytes = 300_000;
      c.limits.maxStanzaBytes = 65_536;
    });
    for (const u of ['alice', 'bob', 'carol', 'dave']) await server.addUser(u);
  });
  after(() => server.stop());

  it('unauthenticated streams beyond the per-address limit are refused with policy-violation', async () => {
    const idle = await Promise.all([1, 2, 3].map(() => TestClient.connect(server.ports.c2s!)));
    const extra = await TestClient.connect(server.ports.c2s!);
    const err = await extra.receiveNamed('stream:error');
    assert.equal(conditionOf(err), 'policy-violation');
    await extra.closed;
    for (const c of idle) c.destroy();
    await Promise.all(idle.map((c) => c.closed));
  });

  it('authenticated streams no longer count against the unauthenticated limit', async () => {
    const logged = [];
    for (const u of ['alice', 'bob', 'carol', 'dave']) {
      const c = await TestClient.connect(server.ports.c2s!);
      await c.login(u, 'secret', 'x');
      logged.push(c);
    }
    const fifth = await TestClient.connect(server.ports.c2s!);
    await fifth.login('alice', 'secret', 'y');
    for (const c of [...logged, fifth]) c.destroy();
    await Promise.all([...logged, fifth].map((c) => c.closed));
  });

  it('a client sending more stanzas per second than allowed gets policy-violation', async () => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login('alice', 'secret', 'flood');
    let burst = '';
    for (let i = 0; i < 100; i++) burst += `<iq type='get' id='f${i}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`;
    c.send(burst);
    const err = await c.receiveNamed('stream:error');
    assert.equal(conditionOf(err), 'policy-violation');
    await c.closed;
  });

  it('a client sending more bytes per second than allowed gets policy-violation', async () => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login('alice', 'secret', 'bytes');
    c.send(`<message to='bob@localhost'><body>${'x'.repeat(50_000)}</body></message>`);
    const err = await c.receiveNamed('stream:error');
    assert.equal(conditionOf(err), 'policy-violation');
    await c.closed;
  });

  it('a reader that stops reading is cut off when its queue is full; the sender is still served', async () => {
    const relaxed = await startTestServer((c) => {
        c.limits.outboundQueueBytes = 262_144;
        c.limits.bytesPerSecond = 100_000_000;
      });
    try {
      await relaxed.addUser('slow');
      await relaxed.addUser('fast');
      const slow = await TestClient.connect(relaxed.ports.c2s!);
      await slow.login('slow', 'secret', 's');
      const socket = (slow as unknown as { socket: import('node:net').Socket }).socket;
      socket.pause();
      const fast = await TestClient.connect(relaxed.ports.c2s!);
      await fast.login('fast', 'secret', 'f');
      const body = 'y'.repeat(16_000);
      for (let i = 0; i < 4000 && relaxed.host.sessions.get('slow@localhost/s'); i++) {
        fast.send(`<message to='slow@localhost/s'><body>${body}</body></message>`);
        if (i % 20 === 0) await fast.iq(`<iq type='get' id='w${i}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, `w${i}`);
      }
      await fast.iq(`<iq type='get' id='done' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'done');
      assert.equal(relaxed.host.sessions.get('slow@localhost/s'), undefined, 'the slow reader was disconnected');
      fast.destroy();
      slow.destroy();
    } finally {
      await relaxed.stop();
    }
  });
});

describe('REST request rate per token', () => {
  it('a token over limits.rest_requests_per_minute gets 429 with Retry-After and a JSON body; others are served', async () => {
    const server = await startTestServer((c) => (c.limits.restRequestsPerMinute = 5));
    try {
      await server.addUser('busy');
      await server.addUser('calm');
      const api = `http://127.0.0.1:${server.ports.http}/api/v2`;
      const token = async (u: string) =>
        ((await (await fetch(`${api}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'secret' }) })).json()) as { token: string }).token;
      const busy = await token('busy');
      const calm = await token('calm');
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${api}/users/me`, { headers: { authorization: `Token ${busy}` } })).status);
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
      const limited = await fetch(`${api}/users/me`, { headers: { authorization: `Token ${busy}` } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(((await limited.json()) as { error: string }).error, 'rate_limited');
      assert.equal((await fetch(`${api}/users/me`, { headers: { authorization: `Token ${calm}` } })).status, 200);
    } finally {
      await server.stop();
    }
  });
});
