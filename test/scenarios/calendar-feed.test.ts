// DESIGN.md section 3, end to end: a change made through the REST API arrives as a feed item at the
// users it concerns — subscribed over TCP (scripted client), WebSocket (@xmpp/client) and BOSH
// (StanzaJS) — and at no one else; a client that was away catches up through sync_token.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import * as stanza from 'stanza';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { startXmppJs } from '../support/xmpp-js-client.js';

const CHANGE = 'urn:almanac:change:0';

interface Rest {
  (method: string, path: string, body?: unknown): Promise<any>;
  token: string;
}

describe('the calendar feed (DESIGN.md section 3)', () => {
  let server: TestServer;
  let api: string;
  const rest: Record<string, Rest> = {};
  const closers: Array<() => unknown> = [];

  async function restFor(user: string): Promise<Rest> {
    const res = await fetch(`${api}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: 'secret' }),
    });
    const { token } = (await res.json()) as { token: string };
    const call = (async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Token ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    }) as Rest;
    call.token = token;
    return call;
  }

  /** A scripted TCP client logged in with its REST token (SASL OAUTHBEARER) and subscribed to its feed. */
  async function tcpSubscriber(user: string): Promise<TestClient> {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.openStream();
    await c.receiveNamed('stream:features');
    const auth = Buffer.from(`n,a=${user}@localhost,\x01auth=Bearer ${rest[user]!.token}\x01\x01`).toString('base64');
    c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='OAUTHBEARER'>${auth}</auth>`);
    await c.receiveNamed('success');
    await c.openStream();
    await c.receiveNamed('stream:features');
    const bound = await c.iq(`<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>tcp</resource></bind></iq>`, 'b');
    c.jid = bound.getChild('bind')!.getChildText('jid')!;
    const sub = await c.iq(
      `<iq type='set' to='pubsub.localhost' id='s'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='feed/${user}' jid='${c.jid}'/></pubsub></iq>`,
      's',
    );
    assert.equal(sub.attrs.type, 'result', sub.toString());
    closers.push(() => c.destroy());
    return c;
  }

  const changeOf = (message: { getChild(n: string, ns?: string): any }) =>
    message.getChild('event', 'http://jabber.org/protocol/pubsub#event')?.getChild('items')?.getChild('item')?.getChild('change', CHANGE);

  before(async () => {
    server = await startTestServer((c) => (c.feed.heartbeatMinutes = 5));
    api = `http://127.0.0.1:${server.ports.http}/api/v2`;
    for (const u of ['alice', 'bob', 'carol']) {
      await server.addUser(u);
      rest[u] = await restFor(u);
    }
  });
  after(async () => {
    for (const close of closers) await close();
    await server.stop();
  });

  it('GET /api/v2/realtime tells where the real-time API and the feed node are', async () => {
    const info = await rest.alice!('GET', '/realtime');
    assert.equal(info.domain, 'localhost');
    assert.equal(info.pubsub_service, 'pubsub.localhost');
    assert.equal(info.node, 'feed/alice');
    assert.match(info.websocket_url, /^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
    assert.match(info.bosh_url, /^http:\/\/127\.0\.0\.1:\d+\/http-bind$/);
    assert.equal(info.heartbeat_node, 'heartbeat');
  });

  it('the heartbeat node is open and carries the latest beat', async () => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login('carol', 'secret', 'hb');
    const res = await c.iq(`<iq type='get' to='pubsub.localhost' id='h'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='heartbeat'/></pubsub></iq>`, 'h');
    const beat = res.getChild('pubsub')!.getChild('items')!.getChild('item')!.getChild('heartbeat');
    assert.match(beat!.text(), /^\d{4}-\d\d-\d\dT/);
    c.destroy();
  });

  it('a REST write reaches the owner over TCP and a sharee over WebSocket and BOSH, and no one else', async () => {
    // alice owns a calendar shared with bob; carol has nothing to do with it
    const cal = await rest.alice!('POST', '/calendars', { title: 'Work', timezone: 'Europe/Paris' });
    await rest.alice!('PUT', `/calendars/${cal.id}/shares/bob`, { permission: 'read' });

    const aliceTcp = await tcpSubscriber('alice');
    const carolTcp = await tcpSubscriber('carol');

    const bobWs = await startXmppJs({ port: 0, service: `ws://127.0.0.1:${server.ports.http}/xmpp-websocket`, username: 'bob', resource: 'ws' });
    closers.push(() => bobWs.stop().catch(() => undefined));
    await bobWs.iqCaller.set(xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' }, xml('subscribe', { node: 'feed/bob', jid: bobWs.jid.toString() })), 'pubsub.localhost');
    const atBobWs = new Promise<any>((resolve) =>
      bobWs.on('stanza', (s: any) => {
        if (s.is('message') && changeOf(s)) resolve(s);
      }),
    );

    const bobBosh = stanza.createClient({
      jid: 'bob@localhost',
      password: 'secret',
      resource: 'bosh',
      transports: { bosh: `http://127.0.0.1:${server.ports.http}/http-bind`, websocket: false },
    });
    const boshReady = new Promise<void>((resolve) => bobBosh.once('session:started', () => resolve()));
    bobBosh.connect();
    await boshReady;
    await bobBosh.subscribeToNode('pubsub.localhost', { node: 'feed/bob', jid: bobBosh.jid });
    const atBobBosh = new Promise<any>((resolve) =>
      bobBosh.on('pubsub:published', (m: any) => {
        if (m.pubsub?.items?.node === 'feed/bob') resolve(m);
      }),
    );

    const event = await rest.alice!('POST', '/events', {
      calendar_id: cal.id,
      title: 'Planning',
      start: { date_time: '2026-12-01T10:00:00', timezone: 'Europe/Paris' },
      end: { date_time: '2026-12-01T11:00:00', timezone: 'Europe/Paris' },
    });

    const atAlice = await aliceTcp.receive((el) => el.name === 'message' && !!changeOf(el));
    const change = changeOf(atAlice);
    assert.equal(change.attrs.resource, 'event');
    assert.equal(change.attrs.id, event.id);
    assert.equal(change.attrs.action, 'created');
    assert.equal(change.attrs['sync-token'], String(event.sync_token));
    assert.equal(change.attrs.actor, 'alice@localhost');
    assert.equal(JSON.parse(change.getChildText('json', 'urn:xmpp:json:0')).title, 'Planning');

    const ws = changeOf(await atBobWs);
    assert.equal(ws.attrs.id, event.id);
    const bosh = await atBobBosh;
    const boshItem = bosh.pubsub.items.published[0];
    assert.equal(boshItem.id, `event:${event.id}`);

    assert.equal(await carolTcp.nothing((el) => el.name === 'message'), undefined, 'carol is not told');
    const gone = new Promise((resolve) => bobBosh.once('disconnected', resolve));
    bobBosh.disconnect();
    await gone;
  });

  it('a deletion is an item too, carrying its sync token and the previous one', async () => {
    const cal = await rest.carol!('POST', '/calendars', { title: 'Mine' });
    const ev = await rest.carol!('POST', '/events', {
      calendar_id: cal.id,
      title: 'Gone soon',
      start: { date: '2026-12-24' },
      end: { date: '2026-12-25' },
    });
    const carol = await tcpSubscriber('carol');
    await rest.carol!('DELETE', `/events/${ev.id}`);
    const change = changeOf(await carol.receive((el) => el.name === 'message' && !!changeOf(el)));
    assert.equal(change.attrs.action, 'deleted');
    assert.ok(Number(change.attrs['sync-token']) > ev.sync_token);
    assert.equal(change.attrs['prev-sync-token'], String(ev.sync_token));
    assert.deepEqual(JSON.parse(change.getChildText('json', 'urn:xmpp:json:0')), { id: ev.id, deleted: true });
  });

  it('a client that was away catches up through sync_token with nothing missing', async () => {
    const { sync_token: before } = await rest.bob!('GET', '/events');
    const cal = (await rest.alice!('GET', '/calendars')).items.find((c: any) => c.title === 'Work');
    const made: string[] = [];
    for (const title of ['one', 'two', 'three']) {
      const e = await rest.alice!('POST', '/events', {
        calendar_id: cal.id,
        title,
        start: { date: '2026-12-02' },
        end: { date: '2026-12-03' },
      });
      made.push(e.id);
    }
    await rest.alice!('DELETE', `/events/${made[1]}`);
    const delta = await rest.bob!('GET', `/events?sync_token=${before}`);
    const byId = new Map(delta.items.map((i: any) => [i.id, i]));
    assert.equal((byId.get(made[0]) as any).title, 'one');
    assert.deepEqual(byId.get(made[1]), { id: made[1], deleted: true });
    assert.equal((byId.get(made[2]) as any).title, 'three');
    // MAM on the feed node tells the same story (XEP-0313 on pubsub nodes)
  });

  it('the feed node is private: another user cannot subscribe to it', async () => {
    const carol = await tcpSubscriber('carol');
    const res = await carol.iq(
      `<iq type='set' to='pubsub.localhost' id='x'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='feed/alice' jid='${carol.jid}'/></pubsub></iq>`,
      'x',
    );
    assert.equal(res.attrs.type, 'error');
    assert.ok(res.getChild('error')?.getChild('not-allowed') || res.getChild('error')?.getChild('forbidden'), res.toString());
  });
});
