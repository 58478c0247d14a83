// XEP-0060 section 6.5: retrieve items (permissions per access model, all / most recent / by id,
// every error case) and XEP-0059 RSM paging of the result, newest first.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, ALICE_BARE, BOB, OWNER, OWNER_BARE, assertError, harness, nodeWith, payload, value, type Harness } from './engine-fixture.js';

async function publishAll(h: Harness, node: string, ids: string[]): Promise<void> {
  for (const id of ids) value(await h.engine.publish(OWNER, node, [{ id, payload: payload(id) }]));
}

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);

describe('XEP-0060 6.5 retrieve items: permissions', () => {
  it('anyone may retrieve from an open node, newest first', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c']);
    assert.deepEqual(ids(value(await h.engine.getItems(BOB, 'n'))), ['c', 'b', 'a']);
  });

  it('presence access needs a presence subscription to the owner', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'presence' });
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'not-authorized', type: 'auth', pubsub: 'presence-subscription-required' });
    h.roster.share(OWNER_BARE, ALICE_BARE);
    assert.ok((await h.engine.getItems(ALICE, 'n')).ok);
  });

  it('roster access needs an allowed group', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'roster', roster_groups_allowed: ['friends'] });
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'not-authorized', type: 'auth', pubsub: 'not-in-roster-group' });
    h.roster.group(OWNER_BARE, ALICE_BARE, 'friends');
    assert.ok((await h.engine.getItems(ALICE, 'n')).ok);
  });

  it('authorize access needs an approved subscription: pending is not-authorized + not-subscribed', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'not-authorized', type: 'auth', pubsub: 'not-subscribed' });
    value(await h.engine.approve(OWNER, 'n', ALICE));
    assert.ok((await h.engine.getItems(ALICE, 'n')).ok);
  });

  it('whitelist access for a non-member is not-allowed + closed-node', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'not-allowed', type: 'cancel', pubsub: 'closed-node' });
  });

  it('owners and publishers always retrieve, whatever the access model', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB, affiliation: 'publisher' }]));
    assert.ok((await h.engine.getItems(OWNER, 'n')).ok);
    assert.ok((await h.engine.getItems(BOB, 'n')).ok);
  });

  it('an outcast is forbidden', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'outcast' }]));
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
  });

  it('a missing node is item-not-found', async () => {
    const h = harness();
    assertError(await h.engine.getItems(ALICE, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });

  it('a subscriber with several subscriptions must name one: subid-required, then invalid-subid', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const a = value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true })).subscription;
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: false }));
    assertError(await h.engine.getItems(ALICE, 'n'), { condition: 'bad-request', type: 'modify', pubsub: 'subid-required' });
    assertError(await h.engine.getItems(ALICE, 'n', { subid: 'bogus' }), { condition: 'not-acceptable', type: 'modify', pubsub: 'invalid-subid' });
    assert.ok((await h.engine.getItems(ALICE, 'n', { subid: a.subid })).ok);
  });
});

describe('XEP-0060 6.5 retrieve items: selection', () => {
  it('max_items returns the N most recent', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids(value(await h.engine.getItems(ALICE, 'n', { maxItems: 2 }))), ['d', 'c']);
    assert.deepEqual(ids(value(await h.engine.getItems(ALICE, 'n', { maxItems: 10 }))), ['d', 'c', 'b', 'a']);
  });

  it('items requested by id come back with their payloads; unknown ids are skipped', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c']);
    const page = value(await h.engine.getItems(ALICE, 'n', { itemIds: ['a', 'zz', 'c'] }));
    assert.deepEqual(page.items.map((i) => [i.id, i.payload]), [['c', payload('c')], ['a', payload('a')]]);
  });

  it('a node without items gives an empty result', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assert.deepEqual(value(await h.engine.getItems(ALICE, 'n')).items, []);
  });

  it('the publisher is included with items only when itemreply is publisher', async () => {
    const h = harness();
    await nodeWith(h, 'n', { itemreply: 'publisher' });
    await nodeWith(h, 'm');
    await publishAll(h, 'n', ['a']);
    await publishAll(h, 'm', ['a']);
    assert.equal(value(await h.engine.getItems(ALICE, 'n')).items[0]?.publisher, OWNER_BARE);
    assert.equal(value(await h.engine.getItems(ALICE, 'm')).items[0]?.publisher, undefined);
  });

  it('a transient node still returns its last published item', async () => {
    const h = harness();
    await nodeWith(h, 'n', { persist_items: false });
    await publishAll(h, 'n', ['a', 'b']);
    assert.deepEqual(ids(value(await h.engine.getItems(ALICE, 'n'))), ['b']);
  });

  it('items past item_expire are no longer returned', async () => {
    const h = harness();
    await nodeWith(h, 'n', { item_expire: '60' });
    await publishAll(h, 'n', ['old']);
    h.advance(61_000);
    await publishAll(h, 'n', ['new']);
    assert.deepEqual(ids(value(await h.engine.getItems(ALICE, 'n'))), ['new']);
    assert.equal(await h.engine.expireItems(), 1);
  });
});

describe('XEP-0059 RSM on item retrieval', () => {
  it('pages go newest first with first, last, index and count', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c', 'd', 'e']);
    const p1 = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2 } }));
    assert.deepEqual(ids(p1), ['e', 'd']);
    assert.deepEqual(p1.rsm, { count: 5, first: 'e', last: 'd', firstIndex: 0 });
    const p2 = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2, after: 'd' } }));
    assert.deepEqual(ids(p2), ['c', 'b']);
    assert.equal(p2.rsm?.firstIndex, 2);
    const p3 = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2, after: 'b' } }));
    assert.deepEqual(ids(p3), ['a']);
    const end = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2, after: 'a' } }));
    assert.deepEqual(end.items, []);
    assert.deepEqual(end.rsm, { count: 5 });
  });

  it('before pages back toward the newest, and an empty before is the last page', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c', 'd', 'e']);
    const back = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2, before: 'b' } }));
    assert.deepEqual(ids(back), ['d', 'c']);
    assert.equal(back.rsm?.firstIndex, 1);
    const last = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 2, before: '' } }));
    assert.deepEqual(ids(last), ['b', 'a']);
    assert.equal(last.rsm?.firstIndex, 3);
  });

  it('index jumps into the result set, and max 0 gives only the count', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishAll(h, 'n', ['a', 'b', 'c']);
    assert.deepEqual(ids(value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 1, index: 1 } }))), ['b']);
    const counted = value(await h.engine.getItems(ALICE, 'n', { rsm: { max: 0 } }));
    assert.deepEqual(counted, { items: [], rsm: { count: 3 } });
  });

  it('paging after an item that does not exist is item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getItems(ALICE, 'n', { rsm: { max: 1, after: 'zz' } }), { condition: 'item-not-found', type: 'cancel' });
  });
});
