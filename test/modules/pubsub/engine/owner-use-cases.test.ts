// XEP-0060 section 8: create (instant, create-and-configure, errors), configure (notify_config, access
// changes), default configuration, delete (redirect), purge, pending approvals, manage subscriptions
// and affiliations (multi-entry errors, last owner).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, ALICE_BARE, BOB, BOB_BARE, OWNER, OWNER_BARE, assertError, harness, nodeWith, payload, value } from './engine-fixture.js';

describe('XEP-0060 8.1 create a node', () => {
  it('a node is created with the default configuration and its creator as owner', async () => {
    const h = harness();
    const created = value(await h.engine.createNode(OWNER, 'n'));
    assert.deepEqual(created.config, value(h.engine.getDefaultConfig()));
    assert.deepEqual(value(await h.engine.getNodeAffiliations(OWNER, 'n')), [{ node: 'n', jid: OWNER_BARE, affiliation: 'owner' }]);
  });

  it('an existing NodeID is conflict', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.createNode(ALICE, 'n'), { condition: 'conflict', type: 'cancel' });
  });

  it('an entity without creation rights is forbidden', async () => {
    const h = harness();
    assertError(await h.engine.createNode('stranger@elsewhere.org', 'n'), { condition: 'forbidden', type: 'auth' });
  });

  it('an instant node gets a generated NodeID', async () => {
    const h = harness();
    const created = value(await h.engine.createNode(OWNER, undefined));
    assert.ok(created.node.length > 0);
    assert.ok((await h.engine.getNodeConfig(OWNER, created.node)).ok);
  });

  it('without instant nodes, a missing NodeID is not-acceptable + nodeid-required', async () => {
    const h = harness({ options: { instantNodes: false } });
    assertError(await h.engine.createNode(OWNER, ''), { condition: 'not-acceptable', type: 'modify', pubsub: 'nodeid-required' });
  });

  it('create-and-configure applies the submitted form', async () => {
    const h = harness();
    const created = value(await h.engine.createNode(OWNER, 'n', {
      FORM_TYPE: 'http://jabber.org/protocol/pubsub#node_config',
      'pubsub#title': 'Princely Musings',
      'pubsub#access_model': 'whitelist',
      'pubsub#max_items': '20',
      'pubsub#notify_retract': '0',
      'pubsub#roster_groups_allowed': ['a', 'b'],
    }));
    assert.equal(created.config.title, 'Princely Musings');
    assert.equal(created.config.access_model, 'whitelist');
    assert.equal(created.config.max_items, 20);
    assert.equal(created.config.notify_retract, false);
    assert.deepEqual(created.config.roster_groups_allowed, ['a', 'b']);
  });

  it('an unknown access model is not-acceptable + unsupported-access-model', async () => {
    const h = harness();
    assertError(await h.engine.createNode(OWNER, 'n', { 'pubsub#access_model': 'friends-only' }), {
      condition: 'not-acceptable', type: 'modify', pubsub: 'unsupported-access-model',
    });
  });

  it('a collection node is feature-not-implemented + unsupported collections', async () => {
    const h = harness();
    assertError(await h.engine.createNode(OWNER, 'n', { 'pubsub#node_type': 'collection' }), {
      condition: 'feature-not-implemented', type: 'cancel', pubsub: 'unsupported', feature: 'collections',
    });
  });

  it('more nodes than the service allows is not-allowed + max-nodes-exceeded', async () => {
    const h = harness({ options: { maxNodes: 1 } });
    await nodeWith(h, 'a');
    assertError(await h.engine.createNode(OWNER, 'b'), { condition: 'not-allowed', type: 'cancel', pubsub: 'max-nodes-exceeded' });
  });
});

describe('XEP-0060 8.2 configure a node', () => {
  it('the owner reads and changes the configuration; unknown form fields are ignored', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const updated = value(await h.engine.configureNode(OWNER, 'n', { 'pubsub#title': 'T', 'x-custom#field': 'ignored' }));
    assert.equal(updated.title, 'T');
    assert.equal(value(await h.engine.getNodeConfig(OWNER, 'n')).title, 'T');
  });

  it('a non-owner is forbidden, a missing node item-not-found, no node bad-request + nodeid-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getNodeConfig(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.configureNode(ALICE, 'n', {}), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.getNodeConfig(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
    assertError(await h.engine.configureNode(OWNER, undefined, {}), { condition: 'bad-request', type: 'modify', pubsub: 'nodeid-required' });
  });

  it('a configuration that cannot be applied is not-acceptable and changes nothing (defaults respect the limit)', async () => {
    const h = harness({ options: { maxItemsLimit: 50 } });
    await nodeWith(h, 'n');
    assertError(await h.engine.configureNode(OWNER, 'n', { 'pubsub#max_items': '51' }), { condition: 'not-acceptable', type: 'modify' });
    assertError(await h.engine.configureNode(OWNER, 'n', { 'pubsub#deliver_payloads': 'sometimes' }), { condition: 'not-acceptable', type: 'modify' });
    const config = value(await h.engine.getNodeConfig(OWNER, 'n'));
    assert.equal(config.max_items, 50);
    assert.equal(config.deliver_payloads, true);
  });

  it('with notify_config, subscribers get the new configuration', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notify_config: true });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.configureNode(OWNER, 'n', { 'pubsub#title': 'New' }));
    const [n] = h.notifier.take('configuration');
    assert.equal(n?.config?.title, 'New');
    assert.deepEqual(n?.recipients.map((r) => r.jid), [ALICE]);
  });

  it('a configuration notification of a notification-only node carries no form', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notify_config: true, deliver_payloads: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.configureNode(OWNER, 'n', { 'pubsub#title': 'New' }));
    assert.equal(h.notifier.take('configuration')[0]?.config, undefined);
  });

  it('tightening the access model cancels subscriptions that lost access and tells the subscriber', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB_BARE, affiliation: 'member' }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(BOB, 'n', BOB));
    value(await h.engine.configureNode(OWNER, 'n', { 'pubsub#access_model': 'whitelist' }));
    assert.deepEqual(value(await h.engine.getNodeSubscriptions(OWNER, 'n')).map((s) => s.jid), [BOB]);
    const [n] = h.notifier.take('subscription');
    assert.deepEqual([n?.subscription?.state, n?.recipients[0]?.jid], ['none', ALICE]);
  });

  it('lowering max_items removes the oldest items at once', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    for (const id of ['a', 'b', 'c']) value(await h.engine.publish(OWNER, 'n', [{ id, payload: payload(id) }]));
    value(await h.engine.configureNode(OWNER, 'n', { 'pubsub#max_items': '1' }));
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items.map((i) => i.id), ['c']);
  });
});

describe('XEP-0060 8.3 default configuration', () => {
  it('defaults are a complete configuration: open, publishers, last item on subscription and presence', () => {
    const h = harness();
    const d = value(h.engine.getDefaultConfig());
    assert.equal(d.access_model, 'open');
    assert.equal(d.publish_model, 'publishers');
    assert.equal(d.send_last_published_item, 'on_sub_and_presence');
    assert.equal(d.node_type, 'leaf');
  });

  it('service options override the defaults', () => {
    const h = harness({ options: { nodeDefaults: { access_model: 'whitelist' } } });
    assert.equal(value(h.engine.getDefaultConfig()).access_model, 'whitelist');
  });
});

describe('XEP-0060 8.4 delete a node', () => {
  it('deleting notifies every subscriber, pending ones too, with the redirect', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB_BARE, affiliation: 'member' }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(BOB, 'n', BOB));
    value(await h.engine.deleteNode(OWNER, 'n', 'xmpp:pubsub.example.com?;node=m'));
    const [n] = h.notifier.take('delete');
    assert.equal(n?.redirect, 'xmpp:pubsub.example.com?;node=m');
    assert.deepEqual(n?.recipients.map((r) => r.jid).sort(), [ALICE, BOB].sort());
    assertError(await h.engine.getItems(OWNER, 'n'), { condition: 'item-not-found', type: 'cancel' });
    assert.deepEqual(value(await h.engine.getSubscriptions(ALICE)), []);
  });

  it('a deleted node can be created again, empty', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    value(await h.engine.deleteNode(OWNER, 'n'));
    await nodeWith(h, 'n');
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items, []);
  });

  it('a non-owner is forbidden; a missing node is item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.deleteNode(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.deleteNode(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });
});

describe('XEP-0060 8.5 purge a node', () => {
  it('purging removes every item and sends one purge notification', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    for (const id of ['a', 'b']) value(await h.engine.publish(OWNER, 'n', [{ id, payload: payload(id) }]));
    value(await h.engine.purgeNode(OWNER, 'n'));
    assert.deepEqual(h.notifier.recipientsOf('purge'), [ALICE]);
    assert.deepEqual(h.notifier.take('retract'), []);
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items, []);
  });

  it('a member is forbidden, a missing node item-not-found, a transient node unsupported persistent-items', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    await nodeWith(h, 't', { persist_items: false });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'member' }]));
    assertError(await h.engine.purgeNode(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.purgeNode(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
    assertError(await h.engine.purgeNode(OWNER, 't'), {
      condition: 'feature-not-implemented', type: 'cancel', pubsub: 'unsupported', feature: 'persistent-items',
    });
  });
});

describe('XEP-0060 8.6-8.7 pending subscriptions', () => {
  it('the owner lists pending requests and approves one; the subscriber is told and gets the last item', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.deepEqual(value(await h.engine.getPendingNodes(OWNER)), ['n']);
    assert.deepEqual(value(await h.engine.getPending(OWNER, 'n')).map((s) => s.jid), [ALICE]);
    h.notifier.take();
    assert.equal(value(await h.engine.approve(OWNER, 'n', ALICE)).state, 'subscribed');
    assert.deepEqual(h.notifier.take('subscription').map((n) => [n.subscription?.state, n.recipients[0]?.jid]), [['subscribed', ALICE]]);
    const [last] = h.notifier.take('items');
    assert.deepEqual([last?.items?.[0]?.id, last?.delayed, last?.recipients[0]?.jid], ['a', true, ALICE]);
  });

  it('a denied request is removed and the subscriber is told none', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assert.equal(value(await h.engine.deny(OWNER, 'n', ALICE)).state, 'none');
    assert.deepEqual(h.notifier.take('subscription').map((n) => n.subscription?.state), ['none']);
    assert.deepEqual(value(await h.engine.getPending(OWNER, 'n')), []);
  });

  it('only owners see pending requests: forbidden (type cancel, 8.7.3.3); a missing node item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    assertError(await h.engine.getPending(ALICE, 'n'), { condition: 'forbidden', type: 'cancel' });
    assertError(await h.engine.getPending(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
    assertError(await h.engine.approve(ALICE, 'n', ALICE), { condition: 'forbidden', type: 'auth' });
  });
});

describe('XEP-0060 8.8 manage subscriptions', () => {
  it('the owner lists subscriptions (without pending ones) and changes them by delta', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.setNodeSubscriptions(OWNER, 'n', [
      { jid: BOB, subscription: 'subscribed' },
      { jid: ALICE, subscription: 'none' },
    ]));
    assert.deepEqual(value(await h.engine.getNodeSubscriptions(OWNER, 'n')).map((s) => s.jid), [BOB]);
    assert.deepEqual(
      h.notifier.take('subscription').map((n) => `${n.recipients[0]?.jid}:${n.subscription?.state}`).sort(),
      [`${ALICE}:none`, `${BOB}:subscribed`].sort(),
    );
  });

  it('invalid entries come back with their unchanged state while the others apply', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB_BARE, affiliation: 'outcast' }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    const err = assertError(await h.engine.setNodeSubscriptions(OWNER, 'n', [
      { jid: BOB, subscription: 'subscribed' },
      { jid: ALICE, subscription: 'none' },
    ]), { condition: 'not-acceptable', type: 'modify' });
    assert.deepEqual(err.rejected, [{ jid: BOB, subscription: 'none' }]);
    assert.deepEqual(value(await h.engine.getNodeSubscriptions(OWNER, 'n')), []);
  });

  it('a non-owner is forbidden; a missing node item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getNodeSubscriptions(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.setNodeSubscriptions(ALICE, 'n', []), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.getNodeSubscriptions(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });
});

describe('XEP-0060 8.9 manage affiliations', () => {
  it('the owner sets and lists affiliations; none removes the entity from the list', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'publisher' }]));
    assert.deepEqual(value(await h.engine.getNodeAffiliations(OWNER, 'n')).map((a) => `${a.jid}:${a.affiliation}`).sort(), [
      `${ALICE_BARE}:publisher`, `${OWNER_BARE}:owner`,
    ]);
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'none' }]));
    assert.deepEqual(value(await h.engine.getNodeAffiliations(OWNER, 'n')).map((a) => a.jid), [OWNER_BARE]);
  });

  it('the only owner cannot stop being owner: not-acceptable with the original affiliation', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const err = assertError(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: OWNER_BARE, affiliation: 'member' },
      { jid: ALICE_BARE, affiliation: 'publisher' },
    ]), { condition: 'not-acceptable', type: 'modify' });
    assert.deepEqual(err.rejected, [{ jid: OWNER_BARE, affiliation: 'owner' }]);
    assert.equal(value(await h.engine.getAffiliations(ALICE, 'n'))[0]?.affiliation, 'publisher');
  });

  it('an owner may resign once another owner exists', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: ALICE_BARE, affiliation: 'owner' },
      { jid: OWNER_BARE, affiliation: 'none' },
    ]));
    assert.deepEqual(value(await h.engine.getNodeAffiliations(ALICE, 'n')).map((a) => a.jid), [ALICE_BARE]);
  });

  it('the same entity twice in one request is bad-request', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: ALICE_BARE, affiliation: 'member' },
      { jid: ALICE, affiliation: 'publisher' },
    ]), { condition: 'bad-request', type: 'modify' });
  });

  it('making an entity outcast cancels its subscriptions and tells it', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(ALICE, 'n', ALICE_BARE));
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'outcast' }]));
    assert.deepEqual(value(await h.engine.getNodeSubscriptions(OWNER, 'n')), []);
    assert.deepEqual(h.notifier.take('subscription').map((n) => n.subscription?.state), ['none', 'none']);
  });

  it('making a pending subscriber a publisher approves its request', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'authorize' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'publisher' }]));
    assert.deepEqual(value(await h.engine.getSubscriptions(ALICE, 'n')).map((s) => s.state), ['subscribed']);
  });

  it('a non-owner is forbidden; a missing node item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.getNodeAffiliations(ALICE, 'n'), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.setNodeAffiliations(ALICE, 'n', [{ jid: ALICE_BARE, affiliation: 'owner' }]), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.getNodeAffiliations(OWNER, 'nope'), { condition: 'item-not-found', type: 'cancel' });
  });
});

describe('XEP-0060 4.1 affiliation state chart', () => {
  it('an owner cannot be turned into a publisher, and a publisher not into a member', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: ALICE_BARE, affiliation: 'owner' },
      { jid: BOB_BARE, affiliation: 'publisher' },
    ]));
    const err = assertError(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: ALICE_BARE, affiliation: 'publisher' },
      { jid: BOB_BARE, affiliation: 'member' },
    ]), { condition: 'not-acceptable', type: 'modify' });
    assert.deepEqual(err.rejected, [
      { jid: ALICE_BARE, affiliation: 'owner' },
      { jid: BOB_BARE, affiliation: 'publisher' },
    ]);
  });

  it('an outcast may be made member, publisher or owner directly', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    for (const affiliation of ['outcast', 'member', 'outcast', 'publisher', 'outcast', 'owner'] as const) {
      value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation }]));
    }
    assert.equal(value(await h.engine.getAffiliations(ALICE, 'n'))[0]?.affiliation, 'owner');
  });
});

describe('XEP-0060 16.4.4 typed configuration', () => {
  it('a typed Partial<NodeConfig> configures a node like a submitted form', async () => {
    const h = harness();
    value(await h.engine.createNode(OWNER, 'n', { access_model: 'whitelist', max_items: 'max', contact: [OWNER_BARE] }));
    const config = value(await h.engine.getNodeConfig(OWNER, 'n'));
    assert.deepEqual([config.access_model, config.max_items, config.contact], ['whitelist', 'max', [OWNER_BARE]]);
  });
});
