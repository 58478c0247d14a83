// XEP-0060 4.5 (the five access models) as they decide subscriptions (6.1.3) and item retrieval (6.5.1,
// 6.5.9), and the re-evaluation when an owner changes the model (subscribers who lose access are told,
// 12.11), over the wire. Roster relationships are set directly in the roster store.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, errorOf, NODE_CONFIG, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('access models (XEP-0060 4.5)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let horatio: PubsubClient;
  let yorick: PubsubClient;
  const create = async (node: string, config: Record<string, string | string[]>) => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, config)}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='i'>${entry(node)}</item></publish>`));
  };
  const items = (c: PubsubClient, node: string) => c.pubsub('get', `<items node='${node}'/>`);
  const subscribe = (c: PubsubClient, node: string) => c.pubsub('set', `<subscribe node='${node}' jid='${c.jid}'/>`);

  before(async () => {
    s = await startScenario(['hamlet', 'horatio', 'yorick']);
    hamlet = await s.connect('hamlet');
    horatio = await s.connect('horatio');
    yorick = await s.connect('yorick');
    // horatio sees hamlet's presence and is in his 'friends' group; yorick is a stranger.
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'horatio@localhost', subscription: 'both', ask: false, approved: false, groups: ['friends'] });
    await create('open-node', { 'pubsub#access_model': 'open' });
    await create('presence-node', { 'pubsub#access_model': 'presence' });
    await create('roster-node', { 'pubsub#access_model': 'roster', 'pubsub#roster_groups_allowed': 'friends' });
    await create('authorize-node', { 'pubsub#access_model': 'authorize' });
    await create('whitelist-node', { 'pubsub#access_model': 'whitelist' });
  });
  after(() => s.stop());

  it('open: anyone subscribes and retrieves', async () => {
    await yorick.ok(items(yorick, 'open-node'));
    await yorick.ok(subscribe(yorick, 'open-node'));
  });

  it('presence: contacts with a presence subscription to the owner may; strangers get presence-subscription-required', async () => {
    await horatio.ok(items(horatio, 'presence-node'));
    await horatio.ok(subscribe(horatio, 'presence-node'));
    assert.deepEqual(errorOf(await items(yorick, 'presence-node')), { type: 'auth', condition: 'not-authorized', pubsub: 'presence-subscription-required' });
  });

  it('roster: contacts in an allowed group may; others get not-in-roster-group', async () => {
    await horatio.ok(items(horatio, 'roster-node'));
    await horatio.ok(subscribe(horatio, 'roster-node'));
    assert.deepEqual(errorOf(await items(yorick, 'roster-node')), { type: 'auth', condition: 'not-authorized', pubsub: 'not-in-roster-group' });
    assert.deepEqual(errorOf(await subscribe(yorick, 'roster-node')), { type: 'auth', condition: 'not-authorized', pubsub: 'not-in-roster-group' });
  });

  it('authorize: anyone may ask, only approved subscribers retrieve (6.5.9.3)', async () => {
    const res = await yorick.ok(subscribe(yorick, 'authorize-node'));
    assert.equal(res.getChild('pubsub')!.getChild('subscription')!.attrs.subscription, 'pending');
    assert.deepEqual(errorOf(await items(yorick, 'authorize-node')), { type: 'auth', condition: 'not-authorized', pubsub: 'not-subscribed' });
  });

  it('whitelist: only members; others get closed-node', async () => {
    assert.deepEqual(errorOf(await items(horatio, 'whitelist-node')), { type: 'cancel', condition: 'not-allowed', pubsub: 'closed-node' });
    await hamlet.ok(hamlet.owner('set', `<affiliations node='whitelist-node'><affiliation jid='horatio@localhost' affiliation='member'/></affiliations>`));
    await horatio.ok(items(horatio, 'whitelist-node'));
  });

  it('the owner always retrieves items whatever the model (6.5.1)', async () => {
    for (const node of ['presence-node', 'roster-node', 'authorize-node', 'whitelist-node']) await hamlet.ok(items(hamlet, node));
  });

  it('moving an allowed group out of the list ends the subscriptions that lose access, and tells the subscriber (12.11)', async () => {
    await hamlet.ok(hamlet.owner('set', `<configure node='roster-node'>${submitForm(NODE_CONFIG, { 'pubsub#roster_groups_allowed': 'family' })}</configure>`));
    const note = await horatio.event('roster-node', 'subscription');
    assert.equal(note.getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
    assert.equal(errorOf(await items(horatio, 'roster-node')).pubsub, 'not-in-roster-group');
  });

  it('switching a node to whitelist ends the subscriptions of non-members (12.11)', async () => {
    await hamlet.ok(hamlet.owner('set', `<configure node='open-node'>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'whitelist' })}</configure>`));
    const note = await yorick.event('open-node', 'subscription');
    assert.equal(note.getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
  });

  it('cancelling a contact\'s presence subscription ends its subscriptions to presence nodes, and tells it (12.11)', async () => {
    hamlet.send(`<presence to='horatio@localhost' type='unsubscribed'/>`);
    const note = await horatio.event('presence-node', 'subscription');
    assert.equal(note.getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
    assert.equal(errorOf(await items(horatio, 'presence-node')).pubsub, 'presence-subscription-required');
  });
});
