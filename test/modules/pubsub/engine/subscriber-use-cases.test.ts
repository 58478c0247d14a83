// XEP-0060 section 6.1-6.4: subscribe (every error case), approval, multiple subscriptions, last
// published item; unsubscribe; subscription options; default subscription options.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, ALICE, ALICE_BARE, BOB, OWNER, OWNER_BARE, assertError, harness, nodeWith, payload, value,
} from './engine-fixture.js';

describe('XEP-0060 6.1 subscribe', () => {
  it('a subscription to an open node is granted with a service-generated subid', async () => {
    const h = harness();
    await nodeWith(h, 'news');
    const { subscription } = value(await h.engine.subscribe(ALICE, 'news', ALICE_BARE));
    assert.equal(subscription.state, 'subscribed');
    assert.equal(subscription.jid, ALICE_BARE);
    assert.ok(subscription.subid.length > 0);
  });

  it('a JID whose bare part differs from the requester is bad-request + invalid-jid', async () => {
    const h = harness();
    await nodeWith(h, 'news');
    assertError(await h.engine.subscribe(ALICE, 'news', BOB), { condition: 'bad-request', type: 'modify', pubsub: 'invalid-jid' });
  });

  it('a service admin may subscribe another JID (trusted proxy)', async () => {
    const h = harness();
    await nodeWith(h, 'news');
    assert.equal(value(await h.engine.subscribe(ADMIN, 'news', BOB)).subscription.state, 'subscribed');
  });

  it('presence access without a presence subscription is not-authorized + presence-subscription-required', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'presence' });
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), {
      condition: 'not-authorized', type: 'auth', pubsub: 'presence-subscription-required',
    });
    h.roster.share(OWNER_BARE, ALICE_BARE);
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription.state, 'subscribed');
  });

  it('roster access outside the allowed groups is not-authorized + not-in-roster-group', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'roster', roster_groups_allowed: ['friends'] });
    h.roster.group(OWNER_BARE, ALICE_BARE, 'colleagues');
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), {
      condition: 'not-authorized', type: 'auth', pubsub: 'not-in-roster-group',
    });
    h.roster.group(OWNER_BARE, ALICE_BARE, 'colleagues', 'friends');
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription.state, 'subscribed');
  });

  it('whitelist access for an entity that is not a member is not-allowed + closed-node', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), { condition: 'not-allowed', type: 'cancel', pubsub: 'closed-node' });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'member' }]));
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription.state, 'subscribed');
  });

  it('an outcast is forbidden to subscribe', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'outcast' }]));
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), { condition: 'forbidden', type: 'auth' });
  });

  it('a publish-only entity cannot subscribe (table 4.1)', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'publish-only' }]));
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), { condition: 'forbidden', type: 'auth' });
  });

  it('a node with subscriptions disabled answers feature-not-implemented + unsupported subscribe', async () => {
    const h = harness();
    await nodeWith(h, 'n', { subscribe: false });
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), {
      condition: 'feature-not-implemented', type: 'cancel', pubsub: 'unsupported', feature: 'subscribe',
    });
  });

  it('a missing node is item-not-found', async () => {
    const h = harness();
    assertError(await h.engine.subscribe(ALICE, 'nope', ALICE), { condition: 'item-not-found', type: 'cancel' });
  });

  it('a subscribe without a node is bad-request + nodeid-required, without a JID jid-required', async () => {
    const h = harness();
    assertError(await h.engine.subscribe(ALICE, undefined, ALICE), { condition: 'bad-request', type: 'modify', pubsub: 'nodeid-required' });
    assertError(await h.engine.subscribe(ALICE, 'n', ''), { condition: 'bad-request', type: 'modify', pubsub: 'jid-required' });
  });

  it('an authorize node answers pending and asks the owners to approve', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    const { subscription } = value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.equal(subscription.state, 'pending');
    const [request] = h.notifier.take('authorization');
    assert.deepEqual(request!.recipients, [{ jid: OWNER_BARE, subids: [] }]);
    assert.deepEqual(request!.subscription, { jid: ALICE, state: 'pending', subid: subscription.subid });
  });

  it('subscribing again while pending is not-authorized + pending-subscription', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE), { condition: 'not-authorized', type: 'auth', pubsub: 'pending-subscription' });
  });

  it('the same subscription requested twice returns the existing subscription', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const first = value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription;
    const again = value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription;
    assert.equal(again.subid, first.subid);
    assert.equal(value(await h.engine.getSubscriptions(ALICE, 'n')).length, 1);
  });

  it('subscribing with different options creates another subscription with its own subid', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const a = value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription;
    const b = value(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#include_body': '1' })).subscription;
    assert.notEqual(a.subid, b.subid);
    assert.equal(b.options.include_body, true);
  });

  it('more subscriptions than the per-JID limit is policy-violation + too-many-subscriptions', async () => {
    const h = harness({ options: { maxSubscriptionsPerJid: 2 } });
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: false }));
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true }));
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE, { include_body: true }), {
      condition: 'policy-violation', type: 'wait', pubsub: 'too-many-subscriptions',
    });
  });

  it('subscribe-and-configure with a bad option is bad-request + invalid-options', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#deliver': 'maybe' }), {
      condition: 'bad-request', type: 'modify', pubsub: 'invalid-options',
    });
    assertError(await h.engine.subscribe(ALICE, 'n', ALICE, { 'pubsub#colour': 'red' }), {
      condition: 'bad-request', type: 'modify', pubsub: 'invalid-options',
    });
  });

  it('the last published item comes with a new subscription, stamped as delayed, to the subscribed JID', async () => {
    const h = harness();
    await nodeWith(h, 'n', { send_last_published_item: 'on_sub' });
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('1') }]));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'b', payload: payload('2') }]));
    const { subscription, lastPublished } = value(await h.engine.subscribe(ALICE, 'n', ALICE_BARE));
    assert.equal(lastPublished?.delayed, true);
    assert.deepEqual(lastPublished?.items?.map((i) => [i.id, i.payload]), [['b', payload('2')]]);
    assert.deepEqual(lastPublished?.recipients, [{ jid: ALICE_BARE, subids: [subscription.subid] }]);
  });

  it('the last published item comes again when the same subscription is requested again', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('1') }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).lastPublished?.items?.[0]?.id, 'a');
  });

  it('no last item is sent when send_last_published_item is never', async () => {
    const h = harness();
    await nodeWith(h, 'n', { send_last_published_item: 'never' });
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('1') }]));
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).lastPublished, undefined);
  });
});

describe('XEP-0060 6.2 unsubscribe', () => {
  it('an unsubscribe removes the subscription and reports state none', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.equal(value(await h.engine.unsubscribe(ALICE, 'n', ALICE)).state, 'none');
    assert.deepEqual(value(await h.engine.getSubscriptions(ALICE)), []);
  });

  it('with several subscriptions and no subid it is bad-request + subid-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true }));
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: false }));
    assertError(await h.engine.unsubscribe(ALICE, 'n', ALICE), { condition: 'bad-request', type: 'modify', pubsub: 'subid-required' });
  });

  it('a JID that is not subscribed is unexpected-request + not-subscribed', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.unsubscribe(ALICE, 'n', ALICE), { condition: 'unexpected-request', type: 'cancel', pubsub: 'not-subscribed' });
  });

  it('unsubscribing another entity is forbidden', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(BOB, 'n', BOB));
    assertError(await h.engine.unsubscribe(ALICE, 'n', BOB), { condition: 'forbidden', type: 'auth' });
  });

  it('a missing node is item-not-found', async () => {
    const h = harness();
    assertError(await h.engine.unsubscribe(ALICE, 'nope', ALICE), { condition: 'item-not-found', type: 'cancel' });
  });

  it('a subid that is not the subscriber\'s is not-acceptable + invalid-subid', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.unsubscribe(ALICE, 'n', ALICE, 'bogus'), { condition: 'not-acceptable', type: 'modify', pubsub: 'invalid-subid' });
  });
});

describe('XEP-0060 6.3 subscription options', () => {
  it('options are read and changed for the designated subscription', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const { subscription } = value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.equal(value(await h.engine.getSubscriptionOptions(ALICE, 'n', ALICE)).options.deliver, true);
    const changed = value(await h.engine.setSubscriptionOptions(ALICE, 'n', ALICE, subscription.subid, { 'pubsub#deliver': '0' }));
    assert.equal(changed.options.deliver, false);
    assert.equal(value(await h.engine.getSubscriptionOptions(ALICE, 'n', ALICE)).options.deliver, false);
  });

  it('options of another entity are forbidden', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(BOB, 'n', BOB));
    assertError(await h.engine.getSubscriptionOptions(ALICE, 'n', BOB), { condition: 'forbidden', type: 'auth' });
  });

  it('options without a subscription are unexpected-request + not-subscribed', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getSubscriptionOptions(ALICE, 'n', ALICE), { condition: 'unexpected-request', type: 'modify', pubsub: 'not-subscribed' });
  });

  it('options without a JID are bad-request + jid-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getSubscriptionOptions(ALICE, 'n', undefined), { condition: 'bad-request', type: 'modify', pubsub: 'jid-required' });
  });

  it('options with several subscriptions and no subid are bad-request + subid-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true }));
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: false }));
    assertError(await h.engine.getSubscriptionOptions(ALICE, 'n', ALICE), { condition: 'bad-request', type: 'modify', pubsub: 'subid-required' });
  });

  it('options with a wrong subid are not-acceptable + invalid-subid', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.setSubscriptionOptions(ALICE, 'n', ALICE, 'bogus', {}), {
      condition: 'not-acceptable', type: 'modify', pubsub: 'invalid-subid',
    });
  });

  it('options of a missing node are item-not-found', async () => {
    const h = harness();
    assertError(await h.engine.getSubscriptionOptions(ALICE, 'nope', ALICE), { condition: 'item-not-found', type: 'cancel' });
  });

  it('an invalid set of options is bad-request + invalid-options and changes nothing', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.setSubscriptionOptions(ALICE, 'n', ALICE, undefined, { 'pubsub#expire': 'tomorrow' }), {
      condition: 'bad-request', type: 'modify', pubsub: 'invalid-options',
    });
    assert.equal(value(await h.engine.getSubscriptionOptions(ALICE, 'n', ALICE)).options.expire, '');
  });

  it('a tempsub node makes every subscription temporary', async () => {
    const h = harness();
    await nodeWith(h, 'n', { tempsub: true });
    assert.equal(value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription.options.expire, 'presence');
  });
});

describe('XEP-0060 6.4 default subscription options', () => {
  it('the service and each node have default options', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const defaults = value(await h.engine.getDefaultSubscriptionOptions());
    assert.equal(defaults.deliver, true);
    assert.equal(defaults.subscription_type, 'items');
    assert.deepEqual(value(await h.engine.getDefaultSubscriptionOptions('n')), defaults);
  });

  it('default options of a missing node are item-not-found', async () => {
    const h = harness();
    assertError(await h.engine.getDefaultSubscriptionOptions('nope'), { condition: 'item-not-found', type: 'cancel' });
  });
});

describe('XEP-0060 5.6 and 5.7 own subscriptions and affiliations', () => {
  it('an entity sees the subscriptions of all its JIDs, at every node or one', async () => {
    const h = harness();
    await nodeWith(h, 'a');
    await nodeWith(h, 'b');
    value(await h.engine.subscribe(ALICE, 'a', ALICE));
    value(await h.engine.subscribe(ALICE, 'b', ALICE_BARE));
    value(await h.engine.subscribe(BOB, 'a', BOB));
    const all = value(await h.engine.getSubscriptions('alice@example.com/other'));
    assert.deepEqual(all.map((s) => `${s.node}:${s.jid}`).sort(), [`a:${ALICE}`, `b:${ALICE_BARE}`]);
    assert.deepEqual(value(await h.engine.getSubscriptions(ALICE, 'b')).map((s) => s.node), ['b']);
    assertError(await h.engine.getSubscriptions(ALICE, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });

  it('an entity sees its affiliations, and none is never listed', async () => {
    const h = harness();
    await nodeWith(h, 'a');
    await nodeWith(h, 'b');
    value(await h.engine.setNodeAffiliations(OWNER, 'b', [{ jid: ALICE_BARE, affiliation: 'publisher' }]));
    assert.deepEqual(value(await h.engine.getAffiliations(ALICE)), [{ node: 'b', jid: ALICE_BARE, affiliation: 'publisher' }]);
    assert.deepEqual(value(await h.engine.getAffiliations(ALICE, 'a')), []);
    assert.deepEqual(value(await h.engine.getAffiliations(OWNER, 'a')), [{ node: 'a', jid: OWNER_BARE, affiliation: 'owner' }]);
  });
});
