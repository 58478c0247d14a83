// XEP-0060 section 12 implementation notes on notifications: intended recipients, one notification per
// JID with its subids (SHIM), deliver and show-values options, presence-based delivery, notification
// type, notify_sub, temporary subscriptions and leases, purge_offline, last items on presence.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, ALICE_BARE, BOB, BOB_BARE, OWNER, OWNER_BARE, harness, nodeWith, payload, value } from './engine-fixture.js';

const publishOne = async (h: ReturnType<typeof harness>, node: string, id = 'x') =>
  value(await h.engine.publish(OWNER, node, [{ id, payload: payload(id) }]));

describe('XEP-0060 12.3 and 6.1.6 recipients', () => {
  it('a JID with several subscriptions gets one notification listing every subid', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const a = value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true })).subscription;
    const b = value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: false })).subscription;
    await publishOne(h, 'n');
    const [n] = h.notifier.take('items');
    assert.deepEqual(n?.recipients, [{ jid: ALICE, subids: [a.subid, b.subid] }]);
  });

  it('subscriptions of different full JIDs of one account are separate recipients', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(ALICE, 'n', 'alice@example.com/tablet'));
    await publishOne(h, 'n');
    assert.deepEqual(h.notifier.recipientsOf('items'), [ALICE, 'alice@example.com/tablet']);
  });

  it('pending subscribers and subscriptions with deliver=false get nothing', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB_BARE, affiliation: 'member' }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(BOB, 'n', BOB, { 'pubsub#deliver': 'false' }));
    await publishOne(h, 'n');
    assert.deepEqual(h.notifier.take('items'), []);
  });

  it('a node with deliver_notifications off notifies nobody', async () => {
    const h = harness();
    await nodeWith(h, 'n', { deliver_notifications: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    await publishOne(h, 'n');
    assert.deepEqual(h.notifier.take(), []);
  });

  it('presence-based delivery skips unavailable subscribers', async () => {
    const h = harness();
    await nodeWith(h, 'n', { presence_based_delivery: true });
    value(await h.engine.subscribe(ALICE, 'n', ALICE_BARE));
    value(await h.engine.subscribe(BOB, 'n', BOB));
    h.presence.come('alice@example.com/any');
    await publishOne(h, 'n');
    assert.deepEqual(h.notifier.recipientsOf('items'), [ALICE_BARE]);
  });

  it('show-values limit delivery to the listed presence states when presence is known', async () => {
    const h = harness();
    h.presence.withShows = true;
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#show-values': ['online', 'chat'] }));
    value(await h.engine.subscribe(BOB, 'n', BOB, { 'pubsub#show-values': ['online'] }));
    h.presence.come(ALICE, 'chat');
    h.presence.come(BOB, 'dnd');
    await publishOne(h, 'n');
    assert.deepEqual(h.notifier.recipientsOf('items'), [ALICE]);
  });

  it('notification_type normal is passed on so the handler stores offline copies', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notification_type: 'normal' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    await publishOne(h, 'n');
    assert.equal(h.notifier.take('items')[0]?.notificationType, 'normal');
  });

  it('recipients follow subscribe and unsubscribe without reloading the node', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    await publishOne(h, 'n', 'a');
    value(await h.engine.subscribe(BOB, 'n', BOB));
    await publishOne(h, 'n', 'b');
    value(await h.engine.unsubscribe(ALICE, 'n', ALICE));
    await publishOne(h, 'n', 'c');
    assert.deepEqual(h.notifier.take('items').map((n) => n.recipients.map((r) => r.jid).sort()), [[ALICE], [ALICE, BOB].sort(), [BOB]]);
  });
});

describe('XEP-0060 8.2 notify_sub and 12.11 subscription state changes', () => {
  it('with notify_sub, owners hear of new subscriptions and unsubscriptions', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notify_sub: true });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.unsubscribe(ALICE, 'n', ALICE));
    const told = h.notifier.take('subscription');
    assert.deepEqual(told.map((n) => [n.recipients[0]?.jid, n.subscription?.jid, n.subscription?.state]), [
      [OWNER_BARE, ALICE, 'subscribed'],
      [OWNER_BARE, ALICE, 'none'],
    ]);
  });

  it('without notify_sub, owners are not told', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.deepEqual(h.notifier.take('subscription'), []);
  });
});

describe('XEP-0060 12.4 temporary subscriptions and 12.18 leases', () => {
  it('a subscription with expire=presence ends when that resource goes unavailable', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    h.presence.come(ALICE);
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#expire': 'presence' }));
    value(await h.engine.subscribe(BOB, 'n', BOB));
    h.presence.go(ALICE);
    await h.engine.entityUnavailable(ALICE);
    assert.deepEqual(value(await h.engine.getNodeSubscriptions(OWNER, 'n')).map((s) => s.jid), [BOB]);
  });

  it('a temporary bare-JID subscription lasts while any resource is available', async () => {
    const h = harness();
    await nodeWith(h, 'n', { tempsub: true });
    h.presence.come(ALICE);
    h.presence.come('alice@example.com/tablet');
    value(await h.engine.subscribe(ALICE, 'n', ALICE_BARE));
    h.presence.go(ALICE);
    await h.engine.entityUnavailable(ALICE);
    assert.equal(value(await h.engine.getSubscriptions(ALICE)).length, 1);
    h.presence.go('alice@example.com/tablet');
    await h.engine.entityUnavailable('alice@example.com/tablet');
    assert.equal(value(await h.engine.getSubscriptions(ALICE)).length, 0);
  });

  it('a leased subscription stops receiving notifications when the lease ends', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const end = new Date(h.now() + 60_000).toISOString();
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#expire': end }));
    await publishOne(h, 'n', 'a');
    h.advance(60_001);
    await publishOne(h, 'n', 'b');
    // The second publish had nobody left to notify, so only the first reached the notifier.
    assert.deepEqual(h.notifier.take('items').map((n) => [n.items?.[0]?.id, n.recipients.map((r) => r.jid)]), [['a', [ALICE]]]);
  });
});

describe('XEP-0060 16.4.4 purge_offline', () => {
  it('the items are purged when the publisher\'s last resource goes offline', async () => {
    const h = harness();
    await nodeWith(h, 'n', { purge_offline: true });
    h.presence.come(OWNER);
    await publishOne(h, 'n');
    h.presence.go(OWNER);
    await h.engine.entityUnavailable(OWNER);
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items, []);
  });

  it('nodes without purge_offline keep their items', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await publishOne(h, 'n');
    await h.engine.entityUnavailable(OWNER);
    assert.equal(value(await h.engine.getItems(OWNER, 'n')).items.length, 1);
  });
});

describe('XEP-0060 12.9 last published item on presence', () => {
  it('a resource coming online gets the last item of each on_sub_and_presence node it is subscribed to', async () => {
    const h = harness();
    await nodeWith(h, 'a');
    await nodeWith(h, 'b', { send_last_published_item: 'on_sub' });
    await nodeWith(h, 'c');
    const sub = value(await h.engine.subscribe(ALICE, 'a', ALICE_BARE)).subscription;
    value(await h.engine.subscribe(ALICE, 'b', ALICE_BARE));
    value(await h.engine.subscribe(ALICE, 'c', ALICE_BARE));
    await publishOne(h, 'a', 'a1');
    await publishOne(h, 'a', 'a2');
    await publishOne(h, 'b', 'b1');
    const sent = await h.engine.lastItemsOnPresence('alice@example.com/new');
    assert.deepEqual(sent.map((n) => [n.node, n.items?.[0]?.id, n.delayed]), [['a', 'a2', true]]);
    assert.deepEqual(sent[0]?.recipients, [{ jid: 'alice@example.com/new', subids: [sub.subid] }]);
  });

  it('a full-JID subscription is served only to that resource', async () => {
    const h = harness();
    await nodeWith(h, 'a');
    value(await h.engine.subscribe(ALICE, 'a', ALICE));
    await publishOne(h, 'a');
    assert.equal((await h.engine.lastItemsOnPresence('alice@example.com/other')).length, 0);
    assert.equal((await h.engine.lastItemsOnPresence(ALICE)).length, 1);
  });
});
