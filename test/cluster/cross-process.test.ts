// A cluster of three processes (DESIGN.md section 4, cluster/) delivering by RFC 6121 section 8 across
// processes: messages and IQs to full and bare JIDs, presence subscriptions and broadcast (sections 3-4),
// roster pushes (2.1.6) and resource conflicts (RFC 6120 7.7.2.2), each sender and recipient connected
// to a different process.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { useCluster, ROSTER } from './cluster-kit.js';

describe('delivery across the processes of a cluster', () => {
  const cluster = useCluster(3, ['alice', 'bob', 'carol', 'dave', 'erin']);

  it('a message to a full JID held by another process arrives with its from and body', async () => {
    const alice = await cluster.login(0, 'alice');
    const bob = await cluster.login(1, 'bob');
    await cluster.seenEverywhere(bob);
    alice.send(`<message to='${bob.jid}' type='chat' id='m1'><body>hello from 0</body></message>`);
    const got = await bob.receiveNamed('message', (el) => el.attrs.id === 'm1');
    assert.equal(got.attrs.from, alice.jid);
    assert.equal(got.getChildText('body'), 'hello from 0');
  });

  it('a message to a bare JID reaches the highest-priority resource wherever it is (8.5.2.1.1)', async () => {
    const carolLow = await cluster.login(1, 'carol', 'low');
    const carolHigh = await cluster.login(2, 'carol', 'high', false);
    carolHigh.send(`<presence><priority>5</priority></presence>`);
    await carolHigh.receive((el) => el.name === 'presence' && el.attrs.from === carolHigh.jid);
    await cluster.seenEverywhere(carolHigh);
    const sender = await cluster.login(0, 'dave');
    const { servers } = cluster;
    assert.equal(servers[0]!.host.sessions.get(carolHigh.jid)?.priority, 5);
    sender.send(`<message to='carol@localhost' type='chat' id='m2'><body>to the bare JID</body></message>`);
    await carolHigh.receiveNamed('message', (el) => el.attrs.id === 'm2');
    assert.equal(await carolLow.nothing((el) => el.name === 'message' && el.attrs.id === 'm2'), undefined);
  });

  it('an IQ to a full JID on another process reaches it and its result comes back', async () => {
    const alice = await cluster.login(2, 'alice', 'iq');
    const bob = await cluster.login(0, 'bob', 'iq');
    await cluster.seenEverywhere(bob);
    alice.send(`<iq type='get' id='q1' to='${bob.jid}'><query xmlns='jabber:iq:version'/></iq>`);
    const request = await bob.receiveNamed('iq', (el) => el.attrs.id === 'q1');
    assert.equal(request.attrs.from, alice.jid);
    bob.send(`<iq type='result' id='q1' to='${alice.jid}'><query xmlns='jabber:iq:version'><name>bob</name></query></iq>`);
    const result = await alice.receiveNamed('iq', (el) => el.attrs.id === 'q1');
    assert.equal(result.attrs.type, 'result');
    assert.equal(result.attrs.from, bob.jid);
  });

  it('presence subscription, broadcast and unavailable presence cross processes (RFC 6121 3.1, 4.4, 4.5)', async () => {
    const erin = await cluster.login(0, 'erin', 'p');
    const dave = await cluster.login(2, 'dave', 'p');
    await cluster.seenEverywhere(erin);
    await cluster.seenEverywhere(dave);
    await cluster.befriend(erin, dave);
    erin.send(`<presence><show>away</show></presence>`);
    const update = await dave.receive((el) => el.name === 'presence' && el.attrs.from === erin.jid && el.getChildText('show') === 'away');
    assert.equal(update.attrs.to, dave.jid);
    // A resource coming online later on a third process is told erin's presence (probe answered, 4.3).
    const daveLater = await cluster.login(1, 'dave', 'later', false);
    daveLater.send('<presence/>');
    const probed = await daveLater.receive((el) => el.name === 'presence' && el.attrs.from === erin.jid && !el.attrs.type);
    assert.equal(probed.getChildText('show'), 'away');
    erin.close();
    await dave.receive((el) => el.name === 'presence' && el.attrs.from === erin.jid && el.attrs.type === 'unavailable');
  });

  it('a presence update for several resources held by one other process travels there once (DESIGN.md 7)', async () => {
    // Accounts of their own: no resources left online by the cases above.
    await cluster.addUser('fay');
    await cluster.addUser('gus');
    const alice = await cluster.login(0, 'fay', 'broadcaster');
    const carolA = await cluster.login(1, 'gus', 'pa');
    const carolB = await cluster.login(1, 'gus', 'pb');
    for (const c of [alice, carolA, carolB]) await cluster.seenEverywhere(c);
    await cluster.befriend(alice, carolA);
    const spy = new Redis(cluster.redis.url());
    const carried: { channel: string; payload: string }[] = [];
    spy.on('pmessage', (_pattern: string, channel: string, payload: string) => carried.push({ channel, payload }));
    await spy.psubscribe('almanac:localhost:node:*');
    try {
      alice.send(`<presence><status>broadcast-once</status></presence>`);
      const got = await Promise.all(
        [carolA, carolB].map((c) => c.receive((el) => el.name === 'presence' && el.attrs.from === alice.jid && el.getChildText('status') === 'broadcast-once')),
      );
      assert.deepEqual(got.map((p) => p.attrs.to), [carolA.jid, carolB.jid]);
      // One copy per process holding recipients (gus's two resources on process 1).
      const perChannel = new Map<string, number>();
      for (const c of carried) perChannel.set(c.channel, (perChannel.get(c.channel) ?? 0) + c.payload.split('broadcast-once').length - 1);
      const counts = [...perChannel.values()].filter((n) => n > 0);
      assert.deepEqual(counts, [1], 'the process gets the presence once, for both its recipients');
    } finally {
      spy.disconnect();
    }
  });

  it('a roster push reaches the same account\'s resource on another process (2.1.6)', async () => {
    const here = await cluster.login(0, 'bob', 'roster-a');
    const there = await cluster.login(1, 'bob', 'roster-b');
    await cluster.seenEverywhere(there);
    here.send(`<iq type='set' id='add1'><query xmlns='${ROSTER}'><item jid='someone@localhost' name='Someone'/></query></iq>`);
    const push = await there.receive((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query')?.getChild('item')?.attrs.jid === 'someone@localhost');
    assert.equal(push.getChild('query')!.getChild('item')!.attrs.name, 'Someone');
  });

  it('binding a resource already bound on another process ends the older session with conflict (RFC 6120 7.7.2.2)', async () => {
    const older = await cluster.login(0, 'alice', 'same');
    await cluster.seenEverywhere(older);
    const newer = await cluster.login(1, 'alice', 'same', false);
    const error = await older.receive((el) => el.name === 'error' || el.name === 'stream:error');
    assert.ok(error.getChildElements().some((c) => c.name === 'conflict'), error.toString());
    // The newer session keeps the JID everywhere.
    newer.send('<presence/>');
    await cluster.seenEverywhere(newer);
    assert.equal(cluster.servers[2]!.host.sessions.get(newer.jid)?.streamId, cluster.servers[1]!.host.sessions.getLocal(newer.jid)?.streamId);
  });
});
