// XEP-0060 section 5: discover nodes (only those the asker may see, XEP-0163 6.2) and node meta-data
// (5.4: configuration plus creator, creation date, owners, publishers, number of subscribers).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, ALICE, ALICE_BARE, BOB, OWNER, OWNER_BARE, assertError, harness, nodeWith, value } from './engine-fixture.js';

describe('XEP-0060 5.2 discover nodes', () => {
  it('open and authorize nodes are listed to anyone, whitelist nodes only to affiliates', async () => {
    const h = harness();
    await nodeWith(h, 'open', { 'pubsub#title': 'Open' });
    await nodeWith(h, 'auth', { access_model: 'authorize' });
    await nodeWith(h, 'closed', { access_model: 'whitelist' });
    await nodeWith(h, 'mine', { access_model: 'whitelist' });
    value(await h.engine.setNodeAffiliations(OWNER, 'mine', [{ jid: ALICE_BARE, affiliation: 'member' }]));
    const listed = value(await h.engine.listNodes(ALICE));
    assert.deepEqual(listed.map((n) => n.node).sort(), ['auth', 'mine', 'open']);
    assert.equal(listed.find((n) => n.node === 'open')?.title, 'Open');
    assert.equal(value(await h.engine.listNodes(OWNER)).length, 4);
    assert.equal(value(await h.engine.listNodes(ADMIN)).length, 4);
  });

  it('presence nodes are listed to contacts with a presence subscription, hidden from outcasts', async () => {
    const h = harness();
    await nodeWith(h, 'p', { access_model: 'presence' });
    await nodeWith(h, 'o');
    value(await h.engine.setNodeAffiliations(OWNER, 'o', [{ jid: BOB, affiliation: 'outcast' }]));
    assert.deepEqual(value(await h.engine.listNodes(ALICE)).map((n) => n.node), ['o']);
    h.roster.share(OWNER_BARE, ALICE_BARE);
    assert.deepEqual(value(await h.engine.listNodes(ALICE)).map((n) => n.node).sort(), ['o', 'p']);
    assert.deepEqual(value(await h.engine.listNodes(BOB)).map((n) => n.node), []);
  });
});

describe('XEP-0060 5.4 node meta-data', () => {
  it('meta-data carries the configuration and the automatic facts', async () => {
    const h = harness();
    await nodeWith(h, 'n', { 'pubsub#title': 'News' });
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: BOB, affiliation: 'publisher' }]));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    value(await h.engine.subscribe(ALICE, 'n', ALICE, { digest: true }));
    const meta = value(await h.engine.getNodeMetadata(ALICE, 'n'));
    assert.equal(meta.config.title, 'News');
    assert.equal(meta.creator, OWNER_BARE);
    assert.equal(meta.created, h.now());
    assert.deepEqual(meta.owners, [OWNER_BARE]);
    assert.deepEqual(meta.publishers, ['bob@example.com']);
    assert.equal(meta.numSubscribers, 1);
  });

  it('a node the asker may not see answers item-not-found, like a missing node', async () => {
    const h = harness();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    assertError(await h.engine.getNodeMetadata(ALICE, 'n'), { condition: 'item-not-found', type: 'cancel' });
    assertError(await h.engine.getNodeMetadata(ALICE, 'nope'), { condition: 'item-not-found', type: 'cancel' });
    assert.ok((await h.engine.getNodeMetadata(OWNER, 'n')).ok);
  });
});
