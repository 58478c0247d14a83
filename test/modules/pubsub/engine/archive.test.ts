// XEP-0313 MAM on pubsub nodes: items in publish order, filtered by time, paged by archive id with
// XEP-0059, under the item-retrieval access rule of XEP-0060 6.5.1.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, OWNER, assertError, harness, nodeWith, payload, value, type Harness } from './engine-fixture.js';

async function history(h: Harness, node: string, ids: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const id of ids) {
    h.advance(1000);
    times.push(h.now());
    value(await h.engine.publish(OWNER, node, [{ id, payload: payload(id) }]));
  }
  return times;
}

describe('XEP-0313 archive of a node', () => {
  it('the archive lists items oldest first with archive ids and a count', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await history(h, 'n', ['a', 'b', 'c']);
    const page = value(await h.engine.queryArchive(ALICE, 'n'));
    assert.deepEqual(page.items.map((i) => i.id), ['a', 'b', 'c']);
    assert.equal(page.complete, true);
    assert.equal(page.rsm.count, 3);
    assert.equal(page.rsm.first, page.items[0]?.archiveId);
  });

  it('start and end select by publication time, inclusively', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const t = await history(h, 'n', ['a', 'b', 'c', 'd']);
    const page = value(await h.engine.queryArchive(ALICE, 'n', { start: t[1], end: t[2] }));
    assert.deepEqual(page.items.map((i) => i.id), ['b', 'c']);
  });

  it('paging after the last archive id seen catches up on what was missed, in order', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await history(h, 'n', ['a', 'b', 'c', 'd', 'e']);
    const first = value(await h.engine.queryArchive(ALICE, 'n', { rsm: { max: 2 } }));
    assert.deepEqual([first.items.map((i) => i.id), first.complete], [['a', 'b'], false]);
    const second = value(await h.engine.queryArchive(ALICE, 'n', { rsm: { max: 2, after: first.rsm.last! } }));
    assert.deepEqual([second.items.map((i) => i.id), second.rsm.firstIndex], [['c', 'd'], 2]);
    const third = value(await h.engine.queryArchive(ALICE, 'n', { rsm: { max: 2, after: second.rsm.last! } }));
    assert.deepEqual([third.items.map((i) => i.id), third.complete], [['e'], true]);
  });

  it('an empty before asks for the most recent page', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await history(h, 'n', ['a', 'b', 'c']);
    const page = value(await h.engine.queryArchive(ALICE, 'n', { rsm: { max: 2, before: '' } }));
    assert.deepEqual([page.items.map((i) => i.id), page.complete], [['b', 'c'], false]);
  });

  it('a republished item moves to the end of the archive', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await history(h, 'n', ['a', 'b', 'a']);
    assert.deepEqual(value(await h.engine.queryArchive(ALICE, 'n')).items.map((i) => i.id), ['b', 'a']);
  });

  it('the archive follows the item-retrieval access rule', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    assertError(await h.engine.queryArchive(ALICE, 'n'), { condition: 'not-allowed', type: 'cancel', pubsub: 'closed-node' });
    assertError(await h.engine.queryArchive(ALICE, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });

  it('an unknown archive id is item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.queryArchive(ALICE, 'n', { rsm: { after: 'not-an-id' } }), { condition: 'item-not-found', type: 'cancel' });
  });
});
