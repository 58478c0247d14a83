// DESIGN.md section 8 with XEP-0060 7.1.2: an IQ result for a publish means the item is stored, so a
// kill -9 in the middle of a burst loses none of the acknowledged items, and subscriptions made
// before the crash still deliver after the restart.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { crash, createNodeIq, dataDirWith, itemIds, online, publishIq, serve, stop, subscribedNodes, subscribeIq } from './fault-fixture.js';

const BURST = 3000;
const KILL_AFTER_ACKS = 400;

describe('kill -9 during a publish burst', () => {
  let dataDir: string;
  before(() => (dataDir = dataDirWith(['alice', 'bob'])));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('every publish answered with an IQ result is in the node after the restart, and bob is still subscribed', async () => {
    const first = await serve(dataDir);
    const alice = await online(first, 'alice', 'pub');
    const bob = await online(first, 'bob', 'sub');
    assert.equal((await alice.iq(createNodeIq('c', 'burst'), 'c')).attrs.type, 'result');
    assert.equal((await bob.iq(subscribeIq('s', 'burst', 'bob@localhost'), 's')).attrs.type, 'result');

    const acked = new Set<string>();
    const publishes: string[] = [];
    for (let i = 0; i < BURST; i++) publishes.push(publishIq(`p${i}`, 'burst', `item${i}`));
    alice.send(publishes.join(''));
    const isPublishReply = (el: { name: string; attrs: Record<string, string> }) => el.name === 'iq' && /^p\d+$/.test(el.attrs.id ?? '');
    while (acked.size < KILL_AFTER_ACKS) {
      const reply = await alice.receive(isPublishReply, 15_000);
      assert.equal(reply.attrs.type, 'result', reply.toString());
      acked.add(`item${reply.attrs.id!.slice(1)}`);
    }
    await crash(first);
    await alice.closed;
    // results that were already on the wire when the process died count as acknowledged too
    for (const el of alice.pending()) if (isPublishReply(el) && el.attrs.type === 'result') acked.add(`item${el.attrs.id!.slice(1)}`);
    assert.ok(acked.size < BURST, `the crash came mid-burst (${acked.size} of ${BURST} acknowledged)`);

    const second = await serve(dataDir);
    try {
      const alice2 = await online(second, 'alice', 'pub');
      const stored = await itemIds(alice2, 'burst');
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} acknowledged items lost of ${acked.size}`);

      const bob2 = await online(second, 'bob', 'sub');
      assert.deepEqual(await subscribedNodes(bob2), ['burst']);
      // bob subscribed with his bare JID: notifications reach him while he is available
      bob2.send('<presence/>');
      await bob2.receive((el) => el.name === 'presence');
      alice2.send(publishIq('after', 'burst', 'after-restart'));
      const itemOf = (el: { getChild(n: string): any }) => el.getChild('event')?.getChild('items')?.getChild('item')?.attrs.id;
      await bob2.receive((el) => el.name === 'message' && itemOf(el) === 'after-restart');
      alice2.destroy();
      bob2.destroy();
    } finally {
      alice.destroy();
      bob.destroy();
      await stop(second);
    }
  });
});
