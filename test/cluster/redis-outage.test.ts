// Redis unavailable (the brief's failure rule): every process says so, keeps delivering between its
// own sessions, answers a stanza for a session on another process with an error instead of silence
// (RFC 6120 8.3: service-unavailable), and recovers by itself when Redis is back, even a Redis that
// restarted empty (each process writes its sessions into the directory again), and then trusts no
// cached pubsub node: a subscription made during the outage through one process is seen by the others.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster, eventually } from './cluster-kit.js';
import type { RemoteSessions } from '../../src/cluster/remote-sessions.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';

describe('the cluster while Redis is down', () => {
  const cluster = useCluster(2, ['alice', 'bob', 'carol']);

  it('local delivery continues, cross-process stanzas are refused with an error, and delivery resumes when Redis returns', async () => {
    const alice = await cluster.login(0, 'alice');
    const carol = await cluster.login(0, 'carol');
    const bob = await cluster.login(1, 'bob');
    await cluster.seenEverywhere(bob);
    // A node process 1 has in its cache before the outage.
    const created = await bob.iq(`<iq type='set' to='pubsub.localhost' id='c'><pubsub xmlns='${PUBSUB}'><create node='outage-news'/></pubsub></iq>`, 'c');
    assert.equal(created.attrs.type, 'result', created.toString());

    await cluster.redis.server().stop();
    await eventually(() => !clusterUp(0) && !clusterUp(1), 'both servers to notice');

    alice.send(`<message to='${carol.jid}' type='chat' id='local'><body>same process</body></message>`);
    await carol.receiveNamed('message', (el) => el.attrs.id === 'local');

    alice.send(`<message to='${bob.jid}' type='chat' id='remote'><body>other process</body></message>`);
    const refused = await alice.receiveNamed('message', (el) => el.attrs.id === 'remote' && el.attrs.type === 'error');
    assert.ok(refused.getChild('error')!.getChildElements().some((c) => c.name === 'service-unavailable'));
    alice.send(`<iq type='get' id='remote-iq' to='${bob.jid}'><query xmlns='jabber:iq:version'/></iq>`);
    const iqError = await alice.receiveNamed('iq', (el) => el.attrs.id === 'remote-iq');
    assert.equal(iqError.attrs.type, 'error');

    // A subscription made through process 0 while it cannot tell process 1.
    const subscribed = await carol.iq(`<iq type='set' to='pubsub.localhost' id='s'><pubsub xmlns='${PUBSUB}'><subscribe node='outage-news' jid='${carol.jid}'/></pubsub></iq>`, 's');
    assert.equal(subscribed.attrs.type, 'result', subscribed.toString());

    await cluster.redis.server().restart();
    await eventually(() => clusterUp(0) && clusterUp(1), 'both servers to reconnect', 10_000);
    await cluster.seenEverywhere(bob);
    await cluster.seenEverywhere(carol);
    alice.send(`<message to='${bob.jid}' type='chat' id='back'><body>Redis is back</body></message>`);
    await bob.receiveNamed('message', (el) => el.attrs.id === 'back');

    // Process 1 dropped its cached nodes when Redis came back, so it knows of carol's subscription.
    bob.send(`<iq type='set' to='pubsub.localhost' id='p'><pubsub xmlns='${PUBSUB}'><publish node='outage-news'><item id='after'><entry xmlns='urn:example'>after the outage</entry></item></publish></pubsub></iq>`);
    const note = await carol.receive((el) => el.name === 'message' && el.getChild('event', `${PUBSUB}#event`)?.getChild('items')?.attrs.node === 'outage-news');
    assert.equal(note.attrs.to, carol.jid);
  });

  /** Whether server `i` can reach Redis. */
  function clusterUp(i: number): boolean {
    return (cluster.servers[i]!.host.sessions.remote as RemoteSessions).connected;
  }
});
