// XEP-0060 across the processes of a cluster: a publish on one process reaches subscribers connected to
// the others (7.1.2), even when the publishing process had the node cached before those subscriptions
// were made elsewhere (node caches are dropped on changes announced over the bus), and a calendar REST
// write on one process reaches a feed subscriber on another (DESIGN.md section 3). A notification leaves
// the publishing process serialised once per process that holds recipients, each of which splices the
// `to` of its own recipients in (DESIGN.md section 7).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster } from './cluster-kit.js';
import { Redis } from 'ioredis';
import type { TestClient } from '../support/test-client.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const EVENT = 'http://jabber.org/protocol/pubsub#event';
const CHANGE = 'urn:almanac:change:0';

describe('publish-subscribe across the processes of a cluster', () => {
  const cluster = useCluster(3, ['alice', 'bob', 'carol', 'dave']);

  const subscribe = async (c: TestClient, node: string, id: string) => {
    const r = await c.iq(`<iq type='set' to='pubsub.localhost' id='${id}'><pubsub xmlns='${PUBSUB}'><subscribe node='${node}' jid='${c.jid}'/></pubsub></iq>`, id);
    assert.equal(r.attrs.type, 'result', r.toString());
  };
  const itemOf = (el: { getChild(n: string, ns?: string): any }) => el.getChild('event', EVENT)?.getChild('items')?.getChild('item');

  it('a publish on one process reaches subscribers on the other two, each with its own to', async () => {
    const alice = await cluster.login(0, 'alice', 'pub');
    const create = await alice.iq(`<iq type='set' to='pubsub.localhost' id='c'><pubsub xmlns='${PUBSUB}'><create node='news'/></pubsub></iq>`, 'c');
    assert.equal(create.attrs.type, 'result', create.toString());
    // Loaded into process 0's cache now, before anyone subscribes elsewhere.
    const first = await alice.iq(`<iq type='set' to='pubsub.localhost' id='p0'><pubsub xmlns='${PUBSUB}'><publish node='news'><item id='0'><entry xmlns='urn:example'>first</entry></item></publish></pubsub></iq>`, 'p0');
    assert.equal(first.attrs.type, 'result');

    const bob = await cluster.login(1, 'bob', 'sub');
    const carol = await cluster.login(2, 'carol', 'sub');
    await subscribe(bob, 'news', 's1');
    await subscribe(carol, 'news', 's2');
    await cluster.seenEverywhere(bob);
    await cluster.seenEverywhere(carol);

    alice.send(`<iq type='set' to='pubsub.localhost' id='p1'><pubsub xmlns='${PUBSUB}'><publish node='news'><item id='1'><entry xmlns='urn:example'>second</entry></item></publish></pubsub></iq>`);
    const atBob = await bob.receive((el) => el.name === 'message' && itemOf(el)?.attrs.id === '1');
    const atCarol = await carol.receive((el) => el.name === 'message' && itemOf(el)?.attrs.id === '1');
    assert.equal(atBob.attrs.to, bob.jid);
    assert.equal(atCarol.attrs.to, carol.jid);
    assert.equal(atBob.attrs.from, 'pubsub.localhost');
    assert.equal(itemOf(atCarol).getChild('entry', 'urn:example').text(), 'second');
  });

  it('the notification travels once to each process holding recipients, which gives each its own to', async () => {
    const alice = await cluster.login(0, 'alice', 'once');
    const create = await alice.iq(`<iq type='set' to='pubsub.localhost' id='oc'><pubsub xmlns='${PUBSUB}'><create node='once'/></pubsub></iq>`, 'oc');
    assert.equal(create.attrs.type, 'result', create.toString());
    // Process 1: bob's two resources through a bare-JID subscription, and carol; process 2: dave.
    const bobA = await cluster.login(1, 'bob', 'once-a');
    const bobB = await cluster.login(1, 'bob', 'once-b');
    const carol = await cluster.login(1, 'carol', 'once');
    const dave = await cluster.login(2, 'dave', 'once');
    const bySubscribe = await bobA.iq(`<iq type='set' to='pubsub.localhost' id='ob'><pubsub xmlns='${PUBSUB}'><subscribe node='once' jid='bob@localhost'/></pubsub></iq>`, 'ob');
    assert.equal(bySubscribe.attrs.type, 'result', bySubscribe.toString());
    await subscribe(carol, 'once', 'oc2');
    await subscribe(dave, 'once', 'od');
    for (const c of [bobA, bobB, carol, dave]) await cluster.seenEverywhere(c);

    // Everything sent to any process's channel, as Redis carries it.
    const spy = new Redis(cluster.redis.url());
    const carried: { channel: string; payload: string }[] = [];
    spy.on('pmessage', (_pattern: string, channel: string, payload: string) => carried.push({ channel, payload }));
    await spy.psubscribe('almanac:localhost:node:*');
    try {
      alice.send(`<iq type='set' to='pubsub.localhost' id='op'><pubsub xmlns='${PUBSUB}'><publish node='once'><item id='x'><entry xmlns='urn:example'>serialised-once</entry></item></publish></pubsub></iq>`);
      const got = await Promise.all([bobA, bobB, carol, dave].map((c) => c.receive((el) => el.name === 'message' && itemOf(el)?.attrs.id === 'x')));
      assert.deepEqual(got.map((m) => m.attrs.to), ['bob@localhost', 'bob@localhost', carol.jid, dave.jid]);
      for (const m of got) assert.equal(itemOf(m).getChild('entry', 'urn:example').text(), 'serialised-once');

      const copies = carried.map((c) => ({ channel: c.channel, count: c.payload.split('serialised-once').length - 1 })).filter((c) => c.count > 0);
      assert.equal(copies.length, 2, 'one bus message to each of the two processes');
      assert.notEqual(copies[0]!.channel, copies[1]!.channel);
      assert.deepEqual(copies.map((c) => c.count), [1, 1], 'the payload is in each bus message once');
    } finally {
      spy.disconnect();
    }
  });

  it('an unsubscribe made on another process stops deliveries from the publishing process', async () => {
    const alice = await cluster.login(0, 'alice', 'pub2');
    const bob = await cluster.login(2, 'bob', 'unsub');
    await subscribe(bob, 'news', 'u1');
    const r = await bob.iq(`<iq type='set' to='pubsub.localhost' id='u2'><pubsub xmlns='${PUBSUB}'><unsubscribe node='news' jid='${bob.jid}'/></pubsub></iq>`, 'u2');
    assert.equal(r.attrs.type, 'result');
    await cluster.seenEverywhere(bob);
    alice.send(`<iq type='set' to='pubsub.localhost' id='p2'><pubsub xmlns='${PUBSUB}'><publish node='news'><item id='2'><entry xmlns='urn:example'>third</entry></item></publish></pubsub></iq>`);
    await alice.receiveNamed('iq', (el) => el.attrs.id === 'p2');
    assert.equal(await bob.nothing((el) => el.name === 'message' && itemOf(el)?.attrs.id === '2', 500), undefined);
  });

  it('a calendar REST write on one process reaches the feed subscriber on another', async () => {
    const api = (i: number) => `http://127.0.0.1:${cluster.servers[i]!.ports.http}/api/v2`;
    const token = async (user: string) => {
      const res = await fetch(`${api(0)}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: 'secret' }) });
      return ((await res.json()) as { token: string }).token;
    };
    const aliceToken = await token('alice');
    const call = async (method: string, path: string, body: unknown) => {
      const r = await fetch(`${api(0)}${path}`, { method, headers: { authorization: `Token ${aliceToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    // Process 0 publishes to feed/bob first, so its cache holds the node before bob subscribes elsewhere.
    const cal = await call('POST', '/calendars', { title: 'Team', timezone: 'Europe/Paris' });
    await call('PUT', `/calendars/${cal.id}/shares/bob`, { permission: 'read' });

    const bob = await cluster.login(1, 'bob', 'feed');
    await subscribe(bob, 'feed/bob', 'f1');
    await cluster.seenEverywhere(bob);
    const event = await call('POST', '/events', {
      calendar_id: cal.id,
      title: 'Standup',
      start: { date_time: '2026-12-02T09:00:00', timezone: 'Europe/Paris' },
      end: { date_time: '2026-12-02T09:15:00', timezone: 'Europe/Paris' },
    });
    const got = await bob.receive((el) => el.name === 'message' && itemOf(el)?.getChild('change', CHANGE)?.attrs.id === event.id);
    const change = itemOf(got).getChild('change', CHANGE);
    assert.equal(change.attrs.action, 'created');
    assert.equal(change.attrs.actor, 'alice@localhost');
  });
});
