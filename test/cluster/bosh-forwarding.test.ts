// XEP-0124 / XEP-0206 in a cluster without a sticky load balancer: every request of one BOSH session goes
// to a different process in turn (creation, SASL, restart, bind, messages, polls), and each is served by
// the process holding the session, proxied there by the one it reached.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { useCluster, eventually } from './cluster-kit.js';
import { BoshTestSession, httpRequest, bodyXml, payloadOf } from '../support/bosh-http-client.js';

describe('BOSH requests arriving at any process of the cluster', () => {
  const cluster = useCluster(3, ['alice', 'bob']);
  const url = (i: number) => `http://127.0.0.1:${cluster.servers[i % 3]!.ports.http}/http-bind`;

  it('a session created on one process serves requests sent to the others, messages included', async () => {
    const session = await BoshTestSession.create(url(0), { wait: 2, hold: 1 });
    // Every further request goes to the next process in turn.
    let turn = 0;
    const next = (payload = '', attrs: Record<string, string | number> = {}) =>
      httpRequest(url(++turn), bodyXml({ rid: ++session.rid, sid: session.sid, ...attrs }, payload));

    const auth = Buffer.from('\0alice\0secret').toString('base64');
    const outcome = await next(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`);
    assert.ok(outcome.body?.getChild('success'), outcome.text);
    const features = await next('', { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true', to: 'localhost' });
    assert.match(features.text, /xmpp-bind/);
    const bound = await next(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bosh</resource></bind></iq>`);
    const jid = bound.body?.getChild('iq')?.getChild('bind')?.getChildText('jid');
    assert.equal(jid, 'alice@localhost/bosh');

    const bob = await cluster.login(1, 'bob');
    await cluster.seenEverywhere(bob);
    await next(`<message to='${bob.jid}' type='chat' id='b1'><body>over BOSH</body></message>`);
    const got = await bob.receiveNamed('message', (el) => el.attrs.id === 'b1');
    assert.equal(got.attrs.from, 'alice@localhost/bosh');

    bob.send(`<message to='alice@localhost/bosh' type='chat' id='b2'><body>back to BOSH</body></message>`);
    // Poll through whichever process comes next until the message shows up.
    let found = false;
    for (let i = 0; i < 5 && !found; i++) {
      const answer = await next();
      assert.equal(answer.status, 200, answer.text);
      found = payloadOf(answer).some((el) => el.name === 'message' && el.attrs.id === 'b2');
    }
    assert.ok(found, 'the message reached the BOSH client through the processes it polled');
  });

  it('a gzip-compressed request (7.2 accept) is forwarded too, and the session is forgotten by the cluster when it ends', async () => {
    const session = await BoshTestSession.create(url(0), { wait: 2, hold: 1 });
    const redisKey = `almanac:localhost:bosh:${session.sid}`;
    const compressed = gzipSync(Buffer.from(bodyXml({ rid: ++session.rid, sid: session.sid }, `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0secret').toString('base64')}</auth>`)));
    const outcome = await httpRequest(url(1), compressed, { headers: { 'content-encoding': 'gzip' } });
    assert.equal(outcome.status, 200, outcome.text);
    assert.ok(outcome.body?.getChild('success'), 'the holder answered the compressed request: ' + outcome.text);

    const redis = new Redis(cluster.redis.url());
    try {
      assert.ok(await redis.get(redisKey), 'the holder is recorded while the session lives');
      const ended = await httpRequest(url(2), bodyXml({ rid: ++session.rid, sid: session.sid, type: 'terminate' }));
      assert.equal(ended.status, 200, ended.text);
      await eventually(async () => (await redis.get(redisKey)) === null, 'the sid entry to be removed');
    } finally {
      redis.disconnect();
    }
  });
});
