// XEP-0163 (PEP): every account a service owned by its bare JID, presence access by default,
// auto-create on publish, implicit subscribers from caps '+notify' (to full JIDs), the account's own
// resources, the last item when an interested resource comes online.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, ALICE_BARE, BOB, BOB_BARE, assertError, harness, payload, value } from './engine-fixture.js';

const JULIET = 'juliet@example.com';
const BALCONY = 'juliet@example.com/balcony';
const TUNE = 'http://jabber.org/protocol/tune';

function pep() {
  return harness({ service: JULIET, options: { pep: true }, pepInterest: true });
}

describe('XEP-0163 PEP service', () => {
  it('the account publishes to a new node, which is created with presence access', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, TUNE, [{ id: 'current', payload: payload('song') }]));
    const config = value(await h.engine.getNodeConfig(BALCONY, TUNE));
    assert.equal(config.access_model, 'presence');
    assert.equal(config.send_last_published_item, 'on_sub_and_presence');
  });

  it('nobody but the account may publish or create nodes', async () => {
    const h = pep();
    assertError(await h.engine.publish(ALICE, TUNE, [{ payload: payload('x') }]), { condition: 'forbidden', type: 'auth' });
    assertError(await h.engine.createNode(ALICE, 'x'), { condition: 'forbidden', type: 'auth' });
  });

  it('publish-options ask for another access model on creation', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, 'urn:xmpp:omemo:2:bundles', [{ id: '1', payload: payload('b') }], { 'pubsub#access_model': 'open' }));
    assert.ok((await h.engine.getItems(BOB, 'urn:xmpp:omemo:2:bundles')).ok);
  });

  it('notifications go to interested resources of contacts with a presence subscription, and the account\'s own', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '1', payload: payload('a') }]));
    h.roster.share(JULIET, ALICE_BARE);
    for (const jid of [ALICE, BOB, BALCONY, 'alice@example.com/no-caps']) h.presence.come(jid);
    h.interest.want(ALICE, TUNE);
    h.interest.want(BOB, TUNE);
    h.interest.want(BALCONY, TUNE);
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '2', payload: payload('b') }]));
    const [n] = h.notifier.take('items');
    assert.deepEqual(n?.recipients.map((r) => r.jid).sort(), [ALICE, BALCONY].sort());
    assert.equal(n?.publisherFullJid, BALCONY);
  });

  it('an explicit bare-JID subscription is delivered to the interested full JIDs instead', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '1', payload: payload('a') }], { 'pubsub#access_model': 'open' }));
    const sub = value(await h.engine.subscribe(BOB, TUNE, BOB_BARE)).subscription;
    h.presence.come(BOB);
    h.interest.want(BOB, TUNE);
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '2', payload: payload('b') }]));
    assert.deepEqual(h.notifier.take('items')[0]?.recipients, [{ jid: BOB, subids: [sub.subid] }]);
  });

  it('an interested resource coming online gets the last item of nodes it may read', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '1', payload: payload('a') }]));
    value(await h.engine.publish(BALCONY, 'secret', [{ id: 's', payload: payload('s') }], { 'pubsub#access_model': 'whitelist' }));
    h.roster.share(JULIET, ALICE_BARE);
    h.interest.want(ALICE, TUNE, 'secret');
    const sent = await h.engine.lastItemsOnPresence(ALICE);
    assert.deepEqual(sent.map((n) => [n.node, n.items?.[0]?.id, n.recipients[0]?.jid]), [[TUNE, '1', ALICE]]);
    assert.deepEqual(await h.engine.lastItemsOnPresence(BOB), []);
  });

  it('the account is the owner of every node of its service', async () => {
    const h = pep();
    value(await h.engine.publish(BALCONY, TUNE, [{ id: '1', payload: payload('a') }]));
    assert.ok((await h.engine.deleteNode('juliet@example.com/other', TUNE)).ok);
  });
});
