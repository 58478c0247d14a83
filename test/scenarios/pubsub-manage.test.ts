// XEP-0060 8.8 (manage subscriptions: list, modify, delete a subscriber, multi-entry errors, notifying
// subscribers 8.8.4), 8.9 (manage affiliations: list, modify with the 4.1 state chart, multi-entry
// errors) and the affiliation table of 4.1 (publisher, publish-only, member, outcast), plus notify_sub.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { entry, errorOf, NODE_CONFIG, OWNER, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const subscriptionsOf = (res: Element) =>
  res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').map((x) => [x.attrs.jid, x.attrs.subscription]);

describe('manage subscriptions and affiliations (XEP-0060 8.8, 8.9)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  let marcellus: PubsubClient;
  const setSubs = (node: string, entries: string) => hamlet.owner('set', `<subscriptions node='${node}'>${entries}</subscriptions>`);
  const setAffs = (node: string, entries: string) => hamlet.owner('set', `<affiliations node='${node}'>${entries}</affiliations>`);

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo', 'marcellus']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    marcellus = await s.connect('marcellus');
    await hamlet.ok(hamlet.pubsub('set', `<create node='court'/>`));
    await francisco.ok(francisco.pubsub('set', `<subscribe node='court' jid='${francisco.jid}'/>`));
  });
  after(() => s.stop());

  it('the owner lists the subscriptions (8.8.1)', async () => {
    const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='court'/>`));
    assert.equal(res.getChild('pubsub', OWNER)!.getChild('subscriptions')!.attrs.node, 'court');
    assert.deepEqual(subscriptionsOf(res), [[francisco.jid, 'subscribed']]);
  });

  it('the owner subscribes an entity, which is told (8.8.2, 8.8.4)', async () => {
    await hamlet.ok(setSubs('court', `<subscription jid='bernardo@localhost' subscription='subscribed'/>`));
    const note = await bernardo.event('court');
    const sub = note.getChild('event')!.getChild('subscription')!;
    assert.deepEqual([sub.attrs.node, sub.attrs.jid, sub.attrs.subscription], ['court', 'bernardo@localhost', 'subscribed']);
    await hamlet.ok(hamlet.pubsub('set', `<publish node='court'><item id='news'>${entry('x')}</item></publish>`));
    assert.equal((await bernardo.event('court')).getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'news');
  });

  it('subscription none deletes the subscriber, which is told (8.8.3)', async () => {
    await hamlet.ok(setSubs('court', `<subscription jid='bernardo@localhost' subscription='none'/>`));
    assert.equal((await bernardo.event('court')).getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
    const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='court'/>`));
    assert.deepEqual(subscriptionsOf(res), [[francisco.jid, 'subscribed']]);
  });

  it('an invalid entry among several comes back unchanged in a not-acceptable error, the others apply (8.8.2.4)', async () => {
    await hamlet.ok(setAffs('court', `<affiliation jid='marcellus@localhost' affiliation='outcast'/>`));
    const res = await setSubs('court', `<subscription jid='marcellus@localhost' subscription='subscribed'/><subscription jid='bernardo@localhost' subscription='subscribed'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable' });
    assert.deepEqual(subscriptionsOf(res), [['marcellus@localhost', 'none']]);
    const now = await hamlet.ok(hamlet.owner('get', `<subscriptions node='court'/>`));
    assert.deepEqual(subscriptionsOf(now).map(([j]) => j).sort(), ['bernardo@localhost', francisco.jid]);
  });

  it('an entry without a subscription attribute changes nothing (8.8.2.1)', async () => {
    await hamlet.ok(setSubs('court', `<subscription jid='bernardo@localhost'/>`));
    const now = await hamlet.ok(hamlet.owner('get', `<subscriptions node='court'/>`));
    assert.ok(subscriptionsOf(now).some(([j]) => j === 'bernardo@localhost'));
  });

  it('subscription management by a non-owner is forbidden, of a missing node item-not-found (8.8.1.2, 8.8.2.3)', async () => {
    assert.deepEqual(errorOf(await francisco.owner('get', `<subscriptions node='court'/>`)), { type: 'auth', condition: 'forbidden' });
    assert.deepEqual(errorOf(await francisco.owner('set', `<subscriptions node='court'><subscription jid='${francisco.jid}' subscription='none'/></subscriptions>`)), {
      type: 'auth',
      condition: 'forbidden',
    });
    assert.deepEqual(errorOf(await hamlet.owner('get', `<subscriptions node='no-such-node'/>`)), { type: 'cancel', condition: 'item-not-found' });
  });

  it('the owner lists affiliations, never none (8.9.1)', async () => {
    const res = await hamlet.ok(hamlet.owner('get', `<affiliations node='court'/>`));
    const affs = res.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => [a.attrs.jid, a.attrs.affiliation]);
    assert.deepEqual(affs.sort(), [['hamlet@localhost', 'owner'], ['marcellus@localhost', 'outcast']]);
  });

  it('a publisher may publish and retract any item (4.1)', async () => {
    await hamlet.ok(setAffs('court', `<affiliation jid='bernardo@localhost' affiliation='publisher'/>`));
    await bernardo.ok(bernardo.pubsub('set', `<publish node='court'><item id='b1'>${entry('b')}</item></publish>`));
    await bernardo.ok(bernardo.pubsub('set', `<retract node='court'><item id='news'/></retract>`));
  });

  it('a publish-only entity publishes but may not retrieve items or subscribe (4.1)', async () => {
    await hamlet.ok(setAffs('court', `<affiliation jid='francisco@localhost' affiliation='publish-only'/>`));
    await francisco.ok(francisco.pubsub('set', `<publish node='court'><item id='f1'>${entry('f')}</item></publish>`));
    assert.equal(errorOf(await francisco.pubsub('get', `<items node='court'/>`)).condition, 'forbidden');
    assert.equal(errorOf(await francisco.pubsub('set', `<subscribe node='court' jid='${francisco.jid}'/>`)).condition, 'forbidden');
    assert.equal(errorOf(await francisco.pubsub('set', `<retract node='court'><item id='b1'/></retract>`)).condition, 'forbidden');
    await francisco.ok(francisco.pubsub('set', `<retract node='court'><item id='f1'/></retract>`));
  });

  it('a member of a whitelist node may subscribe and retrieve items (4.1, 4.5)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='members'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'whitelist' })}</configure>`));
    await hamlet.ok(setAffs('members', `<affiliation jid='bernardo@localhost' affiliation='member'/>`));
    await bernardo.ok(bernardo.pubsub('get', `<items node='members'/>`));
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='members' jid='${bernardo.jid}'/>`));
  });

  it('making a subscriber an outcast ends its subscription and tells it (4.1, 8.8.4)', async () => {
    await hamlet.ok(setAffs('members', `<affiliation jid='bernardo@localhost' affiliation='outcast'/>`));
    const note = await bernardo.event('members');
    assert.equal(note.getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
    assert.equal(errorOf(await bernardo.pubsub('get', `<items node='members'/>`)).condition, 'forbidden');
  });

  it('a change the state chart forbids comes back with the unchanged affiliation, not-acceptable (8.9.2.4)', async () => {
    await hamlet.ok(setAffs('court', `<affiliation jid='marcellus@localhost' affiliation='publisher'/>`));
    const res = await setAffs('court', `<affiliation jid='marcellus@localhost' affiliation='member'/><affiliation jid='bernardo@localhost' affiliation='none'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable' });
    const rejected = res.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => [a.attrs.jid, a.attrs.affiliation]);
    assert.deepEqual(rejected, [['marcellus@localhost', 'publisher']]);
  });

  it('the last owner cannot give up ownership (8.9.2.4)', async () => {
    const res = await setAffs('court', `<affiliation jid='hamlet@localhost' affiliation='none'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable' });
    assert.deepEqual(res.getChild('pubsub')!.getChild('affiliations')!.getChild('affiliation')!.attrs.affiliation, 'owner');
  });

  it('one entity twice in a modification is bad-request (8.9.2.4)', async () => {
    const res = await setAffs('court', `<affiliation jid='bernardo@localhost' affiliation='member'/><affiliation jid='bernardo@localhost' affiliation='publisher'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request' });
  });

  it('affiliation management by a non-owner is forbidden, of a missing node item-not-found (8.9.1.2)', async () => {
    assert.deepEqual(errorOf(await bernardo.owner('get', `<affiliations node='court'/>`)), { type: 'auth', condition: 'forbidden' });
    assert.deepEqual(errorOf(await hamlet.owner('set', `<affiliations node='no-such-node'><affiliation jid='bernardo@localhost' affiliation='member'/></affiliations>`)), {
      type: 'cancel',
      condition: 'item-not-found',
    });
  });

  it('with notify_sub, owners are told of new subscriptions and unsubscriptions (16.4.4, 12.11)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='watched'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#notify_sub': '1' })}</configure>`));
    await marcellus.ok(marcellus.pubsub('set', `<subscribe node='watched' jid='${marcellus.jid}'/>`));
    const joined = (await hamlet.event('watched')).getChild('event')!.getChild('subscription')!;
    assert.deepEqual([joined.attrs.jid, joined.attrs.subscription], [marcellus.jid, 'subscribed']);
    await marcellus.ok(marcellus.pubsub('set', `<unsubscribe node='watched' jid='${marcellus.jid}'/>`));
    const left = (await hamlet.event('watched')).getChild('event')!.getChild('subscription')!;
    assert.deepEqual([left.attrs.jid, left.attrs.subscription], [marcellus.jid, 'none']);
  });
});
