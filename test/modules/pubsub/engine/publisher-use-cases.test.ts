// XEP-0060 section 7: publish (event types, every error case, node full, auto-create, publish-options
// preconditions) and retract (with notify, every error case).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, ALICE_BARE, BOB, OWNER, OWNER_BARE, assertError, harness, nodeWith, payload, value } from './engine-fixture.js';

describe('XEP-0060 7.1 publish', () => {
  it('a publish stores the item and notifies subscribers with the payload', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const sub = value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription;
    const out = value(await h.engine.publish(OWNER, 'n', [{ id: 'x', payload: payload('hi') }]));
    assert.deepEqual(out, { node: 'n', itemIds: ['x'] });
    const [n] = h.notifier.take('items');
    assert.deepEqual(n!.items, [{ id: 'x', payload: payload('hi'), published: h.now() }]);
    assert.deepEqual(n!.recipients, [{ jid: ALICE, subids: [sub.subid] }]);
    assert.equal(n!.publisherFullJid, OWNER);
    assert.equal(n!.notificationType, 'headline');
  });

  it('an item without an id gets a unique generated one, returned to the publisher', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const a = value(await h.engine.publish(OWNER, 'n', [{ payload: payload('1') }])).itemIds[0]!;
    const b = value(await h.engine.publish(OWNER, 'n', [{ payload: payload('2') }])).itemIds[0]!;
    assert.notEqual(a, b);
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items.map((i) => i.id), [b, a]);
  });

  it('republishing an id overwrites the item and notifies again', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'x', payload: payload('1') }]));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'x', payload: payload('2') }]));
    assert.equal(h.notifier.take('items').length, 2);
    const items = value(await h.engine.getItems(OWNER, 'n')).items;
    assert.deepEqual(items.map((i) => i.payload), [payload('2')]);
  });

  it('an entity without publish rights is forbidden', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.publish(ALICE, 'n', [{ payload: payload('x') }]), { condition: 'forbidden', type: 'auth' });
  });

  it('publishers and publish-only entities may publish', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [
      { jid: ALICE_BARE, affiliation: 'publisher' },
      { jid: BOB, affiliation: 'publish-only' },
    ]));
    assert.ok((await h.engine.publish(ALICE, 'n', [{ payload: payload('a') }])).ok);
    assert.ok((await h.engine.publish(BOB, 'n', [{ payload: payload('b') }])).ok);
  });

  it('publish_model subscribers lets subscribers publish, open lets anyone but outcasts', async () => {
    const h = harness();
    await nodeWith(h, 's', { publish_model: 'subscribers' });
    assertError(await h.engine.publish(ALICE, 's', [{ payload: payload('a') }]), { condition: 'forbidden', type: 'auth' });
    value(await h.engine.subscribe(ALICE, 's', ALICE_BARE));
    assert.ok((await h.engine.publish(ALICE, 's', [{ payload: payload('a') }])).ok);
    await nodeWith(h, 'o', { publish_model: 'open' });
    assert.ok((await h.engine.publish(BOB, 'o', [{ payload: payload('b') }])).ok);
    value(await h.engine.setNodeAffiliations(OWNER, 'o', [{ jid: BOB, affiliation: 'outcast' }]));
    assertError(await h.engine.publish(BOB, 'o', [{ payload: payload('b') }]), { condition: 'forbidden', type: 'auth' });
  });

  it('a publish without a node is bad-request + nodeid-required', async () => {
    const h = harness();
    assertError(await h.engine.publish(OWNER, '', [{ payload: payload('x') }]), { condition: 'bad-request', type: 'modify', pubsub: 'nodeid-required' });
  });

  it('a missing node without auto-create is item-not-found', async () => {
    const h = harness({ options: { autoCreate: false } });
    assertError(await h.engine.publish(OWNER, 'nope', [{ payload: payload('x') }]), { condition: 'item-not-found', type: 'cancel' });
  });

  it('a payload over max_payload_size is not-acceptable + payload-too-big', async () => {
    const h = harness();
    await nodeWith(h, 'n', { max_payload_size: '40' });
    assertError(await h.engine.publish(OWNER, 'n', [{ payload: payload('x'.repeat(40)) }]), {
      condition: 'not-acceptable', type: 'modify', pubsub: 'payload-too-big',
    });
  });

  it('a payload whose namespace is not the node type is bad-request + invalid-payload', async () => {
    const h = harness();
    await nodeWith(h, 'n', { type: 'urn:example' });
    assertError(await h.engine.publish(OWNER, 'n', [{ payload: '<x xmlns="urn:other"/>', namespace: 'urn:other' }]), {
      condition: 'bad-request', type: 'modify', pubsub: 'invalid-payload',
    });
    assert.ok((await h.engine.publish(OWNER, 'n', [{ payload: payload('ok'), namespace: 'urn:example' }])).ok);
  });

  it('a persistent node needs an item: bad-request + item-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.publish(OWNER, 'n', []), { condition: 'bad-request', type: 'modify', pubsub: 'item-required' });
  });

  it('a payload node needs a payload: bad-request + payload-required', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.publish(OWNER, 'n', [{ id: 'x' }]), { condition: 'bad-request', type: 'modify', pubsub: 'payload-required' });
  });

  it('a transient notification-only node refuses items: bad-request + item-forbidden, and notifies without one', async () => {
    const h = harness();
    await nodeWith(h, 'n', { persist_items: false, deliver_payloads: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    assertError(await h.engine.publish(OWNER, 'n', [{ id: 'x' }]), { condition: 'bad-request', type: 'modify', pubsub: 'item-forbidden' });
    value(await h.engine.publish(OWNER, 'n', []));
    assert.deepEqual(h.notifier.take('items')[0]?.items, []);
  });

  it('a notification-only persistent node stores the payload but notifies without it', async () => {
    const h = harness();
    await nodeWith(h, 'n', { deliver_payloads: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'x', payload: payload('p') }]));
    assert.deepEqual(h.notifier.take('items')[0]?.items, [{ id: 'x', published: h.now() }]);
    assert.equal(value(await h.engine.getItems(ALICE, 'n')).items[0]?.payload, payload('p'));
  });

  it('a full node drops its oldest item and sends a retract for it (retract-oldest)', async () => {
    const h = harness();
    await nodeWith(h, 'n', { max_items: '2' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    for (const id of ['a', 'b', 'c']) value(await h.engine.publish(OWNER, 'n', [{ id, payload: payload(id) }]));
    assert.deepEqual(value(await h.engine.getItems(ALICE, 'n')).items.map((i) => i.id), ['c', 'b']);
    assert.deepEqual(h.notifier.take('retract').map((n) => n.retracted), [['a']]);
  });

  it('discard-oldest drops the oldest item silently', async () => {
    const h = harness();
    await nodeWith(h, 'n', { max_items: '1', publish_node_full: 'discard-oldest' });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    for (const id of ['a', 'b']) value(await h.engine.publish(OWNER, 'n', [{ id, payload: payload(id) }]));
    assert.deepEqual(h.notifier.take('retract'), []);
    assert.deepEqual(value(await h.engine.getItems(ALICE, 'n')).items.map((i) => i.id), ['b']);
  });

  it('a full node configured to reject answers conflict + node-full, but accepts overwrites', async () => {
    const h = harness();
    await nodeWith(h, 'n', { max_items: '1', publish_node_full: 'reject' });
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    assertError(await h.engine.publish(OWNER, 'n', [{ id: 'b', payload: payload('b') }]), { condition: 'conflict', type: 'cancel', pubsub: 'node-full' });
    assert.ok((await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a2') }])).ok);
  });

  it('a batch larger than max_items is not-allowed + max-items-exceeded', async () => {
    const h = harness();
    await nodeWith(h, 'n', { max_items: '1' });
    const batch = [{ id: 'a', payload: payload('a') }, { id: 'b', payload: payload('b') }];
    assertError(await h.engine.publish(OWNER, 'n', batch), { condition: 'not-allowed', type: 'cancel', pubsub: 'max-items-exceeded' });
  });

  it('a batch that fails validation publishes nothing', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const batch = [{ id: 'a', payload: payload('a') }, { id: 'b' }];
    assert.equal((await h.engine.publish(OWNER, 'n', batch)).ok, false);
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items, []);
  });
});

describe('XEP-0060 7.1.4 auto-create and 7.1.5 publish-options', () => {
  it('publishing to a missing node creates it with the publisher as owner', async () => {
    const h = harness();
    value(await h.engine.publish(ALICE, 'fresh', [{ id: 'a', payload: payload('a') }]));
    assert.deepEqual(value(await h.engine.getAffiliations(ALICE, 'fresh')), [{ node: 'fresh', jid: ALICE_BARE, affiliation: 'owner' }]);
  });

  it('a missing node is created with the preconditions as its configuration', async () => {
    const h = harness();
    value(await h.engine.publish(ALICE, 'fresh', [{ payload: payload('a') }], { 'pubsub#access_model': 'whitelist', 'pubsub#max_items': 'max' }));
    const config = value(await h.engine.getNodeConfig(ALICE, 'fresh'));
    assert.equal(config.access_model, 'whitelist');
    assert.equal(config.max_items, 'max');
  });

  it('an entity that may not create nodes cannot auto-create: forbidden', async () => {
    const h = harness();
    assertError(await h.engine.publish('stranger@elsewhere.org/x', 'fresh', [{ payload: payload('a') }]), { condition: 'forbidden', type: 'auth' });
  });

  it('a met precondition publishes; an unmet one is conflict + precondition-not-met and publishes nothing', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'presence' });
    assert.ok((await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }], { 'pubsub#access_model': 'presence' })).ok);
    assertError(await h.engine.publish(OWNER, 'n', [{ id: 'b', payload: payload('b') }], { 'pubsub#access_model': 'open' }), {
      condition: 'conflict', type: 'cancel', pubsub: 'precondition-not-met',
    });
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items.map((i) => i.id), ['a']);
  });

  it('max_items=max as a precondition matches a node at the service limit', async () => {
    const h = harness({ options: { maxItemsLimit: 500 } });
    await nodeWith(h, 'n', { max_items: '500' });
    assert.ok((await h.engine.publish(OWNER, 'n', [{ payload: payload('a') }], { 'pubsub#max_items': 'max' })).ok);
    assert.ok((await h.engine.publish(OWNER, 'n', [{ payload: payload('a') }], { 'pubsub#max_items': '500' })).ok);
  });

  it('an unknown publish option cannot be met: conflict + precondition-not-met, even for a new node', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    const options = { FORM_TYPE: 'http://jabber.org/protocol/pubsub#publish-options', 'pubsub#frobnicate': '1' };
    assertError(await h.engine.publish(OWNER, 'n', [{ payload: payload('a') }], options), { condition: 'conflict', type: 'cancel', pubsub: 'precondition-not-met' });
    assertError(await h.engine.publish(OWNER, 'fresh', [{ payload: payload('a') }], options), { condition: 'conflict', type: 'cancel', pubsub: 'precondition-not-met' });
  });

  it('a publish option with a bad value is bad-request + invalid-options', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.publish(OWNER, 'n', [{ payload: payload('a') }], { 'pubsub#persist_items': 'perhaps' }), {
      condition: 'bad-request', type: 'modify', pubsub: 'invalid-options',
    });
  });
});

describe('XEP-0060 7.2 retract', () => {
  it('a retract with notify deletes the item and notifies subscribers', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notify_retract: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    value(await h.engine.retract(OWNER, 'n', ['a'], true));
    assert.deepEqual(h.notifier.take('retract').map((n) => [n.retracted, n.recipients.map((r) => r.jid)]), [[['a'], [ALICE]]]);
    assert.deepEqual(value(await h.engine.getItems(OWNER, 'n')).items, []);
  });

  it('a retract without notify on a node without notify_retract is silent', async () => {
    const h = harness();
    await nodeWith(h, 'n', { notify_retract: false });
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    value(await h.engine.retract(OWNER, 'n', ['a'], false));
    assert.deepEqual(h.notifier.take('retract'), []);
  });

  it('a non-publisher is forbidden; a publish-only entity retracts only its own items', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB, affiliation: 'publish-only' }]));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'mine', payload: payload('o') }]));
    value(await h.engine.publish(BOB, 'n', [{ id: 'bobs', payload: payload('b') }]));
    assertError(await h.engine.retract(ALICE, 'n', ['mine']), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.retract(BOB, 'n', ['mine']), { condition: 'forbidden', type: 'auth' });
    assert.ok((await h.engine.retract(BOB, 'n', ['bobs'])).ok);
  });

  it('a publisher may retract any item (table 4.1)', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'publisher' }]));
    value(await h.engine.publish(OWNER, 'n', [{ id: 'a', payload: payload('a') }]));
    assert.ok((await h.engine.retract(ALICE, 'n', ['a'])).ok);
  });

  it('a missing node or item is item-not-found', async () => {
    const h = harness();
    await nodeWith(h, 'n');
    assertError(await h.engine.retract(OWNER, 'nope', ['a']), { condition: 'item-not-found', type: 'cancel' });
    assertError(await h.engine.retract(OWNER, 'n', ['a']), { condition: 'item-not-found', type: 'cancel' });
  });

  it('no node is bad-request + nodeid-required; no item id is bad-request + item-required', async () => {
    const h = harness();
    assertError(await h.engine.retract(OWNER, undefined, ['a']), { condition: 'bad-request', type: 'modify', pubsub: 'nodeid-required' });
    assertError(await h.engine.retract(OWNER, 'n', []), { condition: 'bad-request', type: 'modify', pubsub: 'item-required' });
    assertError(await h.engine.retract(OWNER, 'n', ['']), { condition: 'bad-request', type: 'modify', pubsub: 'item-required' });
  });

  it('a transient node does not support retraction: unsupported persistent-items', async () => {
    const h = harness();
    await nodeWith(h, 'n', { persist_items: false });
    assertError(await h.engine.retract(OWNER, 'n', ['a']), {
      condition: 'feature-not-implemented', type: 'cancel', pubsub: 'unsupported', feature: 'persistent-items',
    });
  });
});

describe('XEP-0060 8.1.1 node creation rights feed auto-create', () => {
  it('a service admin may publish anywhere (the calendar feed publisher)', async () => {
    const h = harness();
    await nodeWith(h, 'feed/alice', { access_model: 'whitelist' });
    assert.ok((await h.engine.publish('example.com', 'feed/alice', [{ payload: payload('change') }])).ok);
    assert.equal(value(await h.engine.getNodeMetadata(OWNER, 'feed/alice')).owners.includes(OWNER_BARE), true);
  });
});
