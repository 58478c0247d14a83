// XEP-0060 section 5 (entity use cases: 5.1 features, 5.2 nodes, 5.3-5.4 node information and meta-data,
// 5.5 items of a node, 5.6 subscriptions, 5.7 affiliations) over the wire, against pubsub.localhost.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pubsubFeatures } from '../../src/modules/pubsub/engine/features.js';
import { entry, errorOf, formValues, NODE_CONFIG, PUBSUB, SERVICE, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

describe('pubsub discovery (XEP-0060 section 5)', () => {
  let s: Scenario;
  let owner: PubsubClient;
  let stranger: PubsubClient;
  before(async () => {
    s = await startScenario(['hamlet', 'francisco']);
    owner = await s.connect('hamlet');
    stranger = await s.connect('francisco');
    await owner.ok(owner.pubsub('set', `<create node='princely_musings'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#title': 'Princely Musings', 'pubsub#description': 'Hamlet thinks' })}</configure>`));
    await owner.ok(owner.pubsub('set', `<create node='secret'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'whitelist' })}</configure>`));
    await owner.ok(owner.pubsub('set', `<publish node='princely_musings'><item id='one'>${entry('1')}</item></publish>`));
    await owner.ok(owner.pubsub('set', `<publish node='princely_musings'><item id='two'>${entry('2')}</item></publish>`));
  });
  after(() => s.stop());

  it('the server lists pubsub.localhost among its disco#items (XEP-0030)', async () => {
    const res = await stranger.ok(stranger.iq('get', 'localhost', `<query xmlns='${DISCO_ITEMS}'/>`));
    const jids = res.getChild('query')!.getChildren('item').map((i) => i.attrs.jid);
    assert.ok(jids.includes(SERVICE));
  });

  it('disco#info of the service has identity pubsub/service and every implemented feature (5.1)', async () => {
    const res = await stranger.ok(stranger.iq('get', SERVICE, `<query xmlns='${DISCO_INFO}'/>`));
    const q = res.getChild('query')!;
    const identity = q.getChild('identity')!;
    assert.deepEqual([identity.attrs.category, identity.attrs.type], ['pubsub', 'service']);
    const features = new Set(q.getChildren('feature').map((f) => f.attrs.var));
    for (const f of pubsubFeatures(false)) assert.ok(features.has(`${PUBSUB}#${f}`), f);
    for (const f of [PUBSUB, 'urn:xmpp:mam:2', 'http://jabber.org/protocol/commands', `${PUBSUB}#default_access_model_open`]) assert.ok(features.has(f), f);
    assert.ok(!features.has(`${PUBSUB}#collections`));
    assert.ok(!features.has(`${PUBSUB}#leased-subscription`));
  });

  it('disco#info of a node answers pubsub/leaf with the meta-data form (5.3, 5.4)', async () => {
    const res = await stranger.ok(stranger.iq('get', SERVICE, `<query xmlns='${DISCO_INFO}' node='princely_musings'/>`));
    const q = res.getChild('query')!;
    assert.equal(q.attrs.node, 'princely_musings');
    const identity = q.getChild('identity')!;
    assert.deepEqual([identity.attrs.category, identity.attrs.type], ['pubsub', 'leaf']);
    const meta = formValues(q.getChild('x', 'jabber:x:data'));
    assert.deepEqual(meta.FORM_TYPE, [`${PUBSUB}#meta-data`]);
    assert.deepEqual(meta['pubsub#creator'], ['hamlet@localhost']);
    assert.deepEqual(meta['pubsub#owner'], ['hamlet@localhost']);
    assert.deepEqual(meta['pubsub#title'], ['Princely Musings']);
    assert.deepEqual(meta['pubsub#description'], ['Hamlet thinks']);
    assert.deepEqual(meta['pubsub#access_model'], ['open']);
    assert.deepEqual(meta['pubsub#num_subscribers'], ['0']);
    assert.match(meta['pubsub#creation_date']![0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('disco#info of a node that does not exist is item-not-found', async () => {
    const res = await stranger.iq('get', SERVICE, `<query xmlns='${DISCO_INFO}' node='nothing-here'/>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'item-not-found' });
  });

  it('a whitelist node is invisible to strangers, in disco#items and disco#info (5.2, XEP-0163 6.2)', async () => {
    const items = await stranger.ok(stranger.iq('get', SERVICE, `<query xmlns='${DISCO_ITEMS}'/>`));
    const nodes = items.getChild('query')!.getChildren('item').map((i) => i.attrs.node);
    assert.deepEqual(nodes, ['princely_musings']);
    const info = await stranger.iq('get', SERVICE, `<query xmlns='${DISCO_INFO}' node='secret'/>`);
    assert.equal(errorOf(info).condition, 'item-not-found');
  });

  it('the owner sees its whitelist node, and each node item carries jid, node and the title as name (5.2)', async () => {
    const items = await owner.ok(owner.iq('get', SERVICE, `<query xmlns='${DISCO_ITEMS}'/>`));
    const list = items.getChild('query')!.getChildren('item').map((i) => [i.attrs.jid, i.attrs.node, i.attrs.name]);
    assert.deepEqual(list, [
      [SERVICE, 'princely_musings', 'Princely Musings'],
      [SERVICE, 'secret', undefined],
    ]);
  });

  it('disco#items of a node lists its items by ItemID in name, without a node attribute (5.5)', async () => {
    const res = await stranger.ok(stranger.iq('get', SERVICE, `<query xmlns='${DISCO_ITEMS}' node='princely_musings'/>`));
    const q = res.getChild('query')!;
    assert.equal(q.attrs.node, 'princely_musings');
    const items = q.getChildren('item');
    assert.deepEqual(items.map((i) => i.attrs.name).sort(), ['one', 'two']);
    for (const i of items) {
      assert.equal(i.attrs.jid, SERVICE);
      assert.equal(i.attrs.node, undefined);
    }
  });

  it('an entity retrieves its own subscriptions and affiliations, empty elements when it has none (5.6, 5.7)', async () => {
    const subs = await stranger.ok(stranger.pubsub('get', `<subscriptions/>`));
    assert.equal(subs.getChild('pubsub')!.getChild('subscriptions')!.getChildElements().length, 0);
    await stranger.ok(stranger.pubsub('set', `<subscribe node='princely_musings' jid='${stranger.jid}'/>`));
    const mine = await stranger.ok(stranger.pubsub('get', `<subscriptions/>`));
    const sub = mine.getChild('pubsub')!.getChild('subscriptions')!.getChild('subscription')!;
    assert.deepEqual([sub.attrs.node, sub.attrs.jid, sub.attrs.subscription], ['princely_musings', stranger.jid, 'subscribed']);
    assert.ok(sub.attrs.subid);
    const affs = await owner.ok(owner.pubsub('get', `<affiliations/>`));
    const list = affs.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => [a.attrs.node, a.attrs.affiliation]);
    assert.deepEqual(list.sort(), [['princely_musings', 'owner'], ['secret', 'owner']]);
    const at = await owner.ok(owner.pubsub('get', `<affiliations node='secret'/>`));
    assert.deepEqual(at.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => a.attrs.affiliation), ['owner']);
  });

  it('a request the service does not know is service-unavailable; an unknown pubsub action is feature-not-implemented', async () => {
    const unknown = await stranger.iq('get', SERVICE, `<query xmlns='jabber:iq:version'/>`);
    assert.equal(errorOf(unknown).condition, 'service-unavailable');
    const action = await stranger.pubsub('set', `<frobnicate node='x'/>`);
    assert.equal(errorOf(action).condition, 'feature-not-implemented');
  });
});
