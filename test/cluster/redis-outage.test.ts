// Redis unavailable (the brief's failure rule): every process says so, keeps delivering between its
// own sessions, answers a stanza for a session on another process with an error instead of silence
// (RFC 6120 8.3: service-unavailable), and recovers by itself when Redis is back, even a Redis that
// restarted empty (each process writes its sessions into the directory again).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster, eventually } from './cluster-kit.js';
import type { RemoteSessions } from '../../src/cluster/remote-sessions.js';

describe('the cluster while Redis is down', () => {
  const cluster = useCluster(2, ['alice', 'bob', 'carol']);

  it('local delivery continues, cross-process stanzas are refused with an error, and delivery resumes when Redis returns', async () => {
    const alice = await cluster.login(0, 'alice');
    const carol = await cluster.login(0, 'carol');
    const bob = await cluster.login(1, 'bob');
    await cluster.seenEverywhere(bob);

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

    await cluster.redis.server().restart();
    await eventually(() => clusterUp(0) && clusterUp(1), 'both servers to reconnect', 10_000);
    await cluster.seenEverywhere(bob);
    alice.send(`<message to='${bob.jid}' type='chat' id='back'><body>Redis is back</body></message>`);
    await bob.receiveNamed('message', (el) => el.attrs.id === 'back');
  });

  /** Whether server `i` can reach Redis. */
  function clusterUp(i: number): boolean {
    return (cluster.servers[i]!.host.sessions.remote as RemoteSessions).connected;
  }
});
