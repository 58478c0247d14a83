// XEP-0060 8.1 (create: named, instant, create-and-configure, the 8.1 error cases), 8.2 (configure: the
// form with every 16.4.4 field, submission, cancellation, notify_config, errors), 8.3 (default
// configuration), 8.4 (delete with redirect, notifying every subscriber) and 8.5 (purge), over the wire.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { NODE_CONFIG_FIELDS } from '../../src/modules/pubsub/engine/node-config.js';
import { entry, errorOf, formValues, NODE_CONFIG, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const configForm = (res: Element, el = 'configure') => res.getChild('pubsub')!.getChild(el)!.getChild('x', 'jabber:x:data')!;

describe('node owner use cases (XEP-0060 8.1-8.5)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  const configure = (node: string, fields: Record<string, string | string[]>) =>
    hamlet.owner('set', `<configure node='${node}'>${submitForm(NODE_CONFIG, fields)}</configure>`);

  before(async () => {
    s = await startScenario(['hamlet', 'francisco']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
  });
  after(() => s.stop());

  it('a named node is created and its creator becomes its owner (8.1.2)', async () => {
    const res = await hamlet.ok(hamlet.pubsub('set', `<create node='princely_musings'/>`));
    assert.equal(res.getChild('pubsub')!.getChild('create')!.attrs.node, 'princely_musings');
    const affs = await hamlet.ok(hamlet.owner('get', `<affiliations node='princely_musings'/>`));
    const list = affs.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => [a.attrs.jid, a.attrs.affiliation]);
    assert.deepEqual(list, [['hamlet@localhost', 'owner']]);
  });

  it('an instant node gets a NodeID from the service, named in the result (8.1.3)', async () => {
    const res = await hamlet.ok(hamlet.pubsub('set', `<create/>`));
    const node = res.getChild('pubsub')!.getChild('create')!.attrs.node;
    assert.match(node!, /\S{8,}/);
    await hamlet.ok(hamlet.owner('get', `<configure node='${node}'/>`));
  });

  it('creating a node that exists is conflict (8.1.1)', async () => {
    assert.deepEqual(errorOf(await francisco.pubsub('set', `<create node='princely_musings'/>`)), { type: 'cancel', condition: 'conflict' });
  });

  it('create-and-configure applies the submitted configuration (8.1.3)', async () => {
    const fields = { 'pubsub#title': 'Elsinore', 'pubsub#max_items': '10', 'pubsub#access_model': 'whitelist', 'pubsub#notification_type': 'normal' };
    await hamlet.ok(hamlet.pubsub('set', `<create node='elsinore'/><configure>${submitForm(NODE_CONFIG, fields)}</configure>`));
    const values = formValues(configForm(await hamlet.ok(hamlet.owner('get', `<configure node='elsinore'/>`))));
    for (const [k, v] of Object.entries(fields)) assert.deepEqual(values[k], [v], k);
  });

  it('an unknown access model is not-acceptable, unsupported-access-model (8.1.2)', async () => {
    const res = await hamlet.pubsub('set', `<create node='weird'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'friends-of-friends' })}</configure>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable', pubsub: 'unsupported-access-model' });
  });

  it('<configure/> after <create/> with a node attribute is bad-request (8.1.3)', async () => {
    const res = await hamlet.pubsub('set', `<create node='x'/><configure node='x'>${submitForm(NODE_CONFIG, {})}</configure>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request' });
  });

  it('a collection node is not supported: unsupported collections (XEP-0248 not implemented)', async () => {
    const res = await hamlet.pubsub('set', `<create node='tree'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#node_type': 'collection' })}</configure>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'feature-not-implemented', pubsub: 'unsupported', feature: 'collections' });
  });

  it('the configuration form lists every pubsub#node_config field with type, label and current value (8.2.2, 16.4.4)', async () => {
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'francisco@localhost', subscription: 'both', ask: false, approved: false, groups: ['guards'] });
    const x = configForm(await hamlet.ok(hamlet.owner('get', `<configure node='princely_musings'/>`)));
    assert.equal(x.attrs.type, 'form');
    const fields = new Map(x.getChildren('field').map((f) => [f.attrs.var, f]));
    assert.equal(fields.get('FORM_TYPE')!.getChildText('value'), NODE_CONFIG);
    for (const name of NODE_CONFIG_FIELDS) {
      const f = fields.get(`pubsub#${name}`);
      assert.ok(f, name);
      assert.ok(f.attrs.type && f.attrs.label, name);
    }
    const access = fields.get('pubsub#access_model')!;
    assert.equal(access.attrs.type, 'list-single');
    assert.deepEqual(access.getChildren('option').map((o) => o.getChildText('value')).sort(), ['authorize', 'open', 'presence', 'roster', 'whitelist']);
    assert.deepEqual(fields.get('pubsub#roster_groups_allowed')!.getChildren('option').map((o) => o.getChildText('value')), ['guards']);
    assert.equal(fields.get('pubsub#deliver_payloads')!.attrs.type, 'boolean');
    assert.equal(fields.get('pubsub#max_items')!.getChildText('value'), '100');
  });

  it('a submitted configuration is applied; a cancelled one changes nothing (8.2.4, 8.2.5)', async () => {
    await hamlet.ok(configure('princely_musings', { 'pubsub#title': 'Musings', 'pubsub#item_expire': '604800' }));
    await hamlet.ok(hamlet.owner('set', `<configure node='princely_musings'><x xmlns='jabber:x:data' type='cancel'/></configure>`));
    const values = formValues(configForm(await hamlet.ok(hamlet.owner('get', `<configure node='princely_musings'/>`))));
    assert.deepEqual(values['pubsub#title'], ['Musings']);
    assert.deepEqual(values['pubsub#item_expire'], ['604800']);
  });

  it('with notify_config, subscribers get the new configuration (8.2.5.3)', async () => {
    await francisco.ok(francisco.pubsub('set', `<subscribe node='princely_musings' jid='${francisco.jid}'/>`));
    await hamlet.ok(configure('princely_musings', { 'pubsub#notify_config': '1', 'pubsub#title': 'Musings II' }));
    const note = await francisco.event('princely_musings');
    const cfg = note.getChild('event')!.getChild('configuration')!;
    assert.equal(cfg.attrs.node, 'princely_musings');
    assert.deepEqual(formValues(cfg.getChild('x'))['pubsub#title'], ['Musings II']);
  });

  it('configuration by a non-owner is forbidden; of a missing node item-not-found; without node nodeid-required (8.2.3)', async () => {
    assert.deepEqual(errorOf(await francisco.owner('get', `<configure node='princely_musings'/>`)), { type: 'auth', condition: 'forbidden' });
    assert.deepEqual(errorOf(await hamlet.owner('get', `<configure node='no-such-node'/>`)), { type: 'cancel', condition: 'item-not-found' });
    assert.deepEqual(errorOf(await hamlet.owner('get', `<configure/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'nodeid-required' });
  });

  it('a configuration the service cannot apply is not-acceptable (8.2.5.2)', async () => {
    const res = await configure('princely_musings', { 'pubsub#max_items': String(s.server.config.pubsub.maxItems + 1) });
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable' });
  });

  it('items older than item_expire are no longer returned (16.4.4 pubsub#item_expire)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='ephemeral'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#item_expire': '1' })}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='ephemeral'><item id='soon-gone'>${entry('x')}</item></publish>`));
    const fresh = await francisco.ok(francisco.pubsub('get', `<items node='ephemeral'/>`));
    assert.equal(fresh.getChild('pubsub')!.getChild('items')!.getChildren('item').length, 1);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await francisco.ok(francisco.pubsub('get', `<items node='ephemeral'/>`));
    assert.equal(expired.getChild('pubsub')!.getChild('items')!.getChildren('item').length, 0);
  });

  it('the default configuration is a form of the defaults (8.3)', async () => {
    const res = await francisco.ok(francisco.owner('get', `<default/>`));
    const values = formValues(configForm(res, 'default'));
    assert.deepEqual(values.FORM_TYPE, [NODE_CONFIG]);
    assert.deepEqual(values['pubsub#access_model'], ['open']);
    assert.deepEqual(values['pubsub#send_last_published_item'], ['on_sub_and_presence']);
    const collection = await francisco.owner('get', `<default type='collection'/>`);
    assert.deepEqual(errorOf(collection), { type: 'cancel', condition: 'feature-not-implemented', pubsub: 'unsupported', feature: 'collections' });
  });

  it('deleting a node notifies every subscriber, pending ones too, with the redirect (8.4.2)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='doomed'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'authorize' })}</configure>`));
    await francisco.ok(francisco.pubsub('set', `<subscribe node='doomed' jid='${francisco.jid}'/>`));
    await hamlet.ok(hamlet.owner('set', `<delete node='doomed'><redirect uri='xmpp:pubsub.localhost?;node=princely_musings'/></delete>`));
    const note = await francisco.event('doomed');
    const del = note.getChild('event')!.getChild('delete')!;
    assert.equal(del.getChild('redirect')!.attrs.uri, 'xmpp:pubsub.localhost?;node=princely_musings');
    assert.equal(errorOf(await francisco.pubsub('get', `<items node='doomed'/>`)).condition, 'item-not-found');
  });

  it('deleting is forbidden to non-owners and item-not-found for missing nodes (8.4.3)', async () => {
    assert.deepEqual(errorOf(await francisco.owner('set', `<delete node='princely_musings'/>`)), { type: 'auth', condition: 'forbidden' });
    assert.deepEqual(errorOf(await hamlet.owner('set', `<delete node='no-such-node'/>`)), { type: 'cancel', condition: 'item-not-found' });
  });

  it('purging removes every item with one purge notification (8.5.2)', async () => {
    for (const id of ['1', '2', '3']) {
      await hamlet.ok(hamlet.pubsub('set', `<publish node='princely_musings'><item id='${id}'>${entry(id)}</item></publish>`));
      await francisco.event('princely_musings');
    }
    await hamlet.ok(hamlet.owner('set', `<purge node='princely_musings'/>`));
    const note = await francisco.event('princely_musings');
    assert.equal(note.getChild('event')!.getChild('purge')!.attrs.node, 'princely_musings');
    await francisco.noEvent('princely_musings');
    const items = await francisco.ok(francisco.pubsub('get', `<items node='princely_musings'/>`));
    assert.equal(items.getChild('pubsub')!.getChild('items')!.getChildElements().length, 0);
  });

  it('purging is forbidden to non-owners, item-not-found for missing nodes, unsupported on transient nodes (8.5.3)', async () => {
    assert.deepEqual(errorOf(await francisco.owner('set', `<purge node='princely_musings'/>`)), { type: 'auth', condition: 'forbidden' });
    assert.deepEqual(errorOf(await hamlet.owner('set', `<purge node='no-such-node'/>`)), { type: 'cancel', condition: 'item-not-found' });
    await hamlet.ok(hamlet.pubsub('set', `<create node='transient'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#persist_items': '0' })}</configure>`));
    assert.deepEqual(errorOf(await hamlet.owner('set', `<purge node='transient'/>`)), {
      type: 'cancel',
      condition: 'feature-not-implemented',
      pubsub: 'unsupported',
      feature: 'persistent-items',
    });
  });
});

describe('who may create nodes (XEP-0060 8.1.1; config pubsub.node_creators and max_nodes_per_user)', () => {
  it('with node_creators=admins an account that is not an admin is forbidden, an admin may', async () => {
    const s = await startScenario(['horatio', 'ophelia'], (c) => {
      c.pubsub.nodeCreators = 'admins';
      c.admins = ['ophelia@localhost'];
    });
    try {
      const horatio = await s.connect('horatio');
      const ophelia = await s.connect('ophelia');
      assert.deepEqual(errorOf(await horatio.pubsub('set', `<create node='mine'/>`)), { type: 'auth', condition: 'forbidden' });
      await ophelia.ok(ophelia.pubsub('set', `<create node='mine'/>`));
    } finally {
      await s.stop();
    }
  });

  it('beyond max_nodes_per_user a creation is not-allowed, max-nodes-exceeded, also through auto-create', async () => {
    const s = await startScenario(['horatio'], (c) => (c.pubsub.maxNodesPerUser = 1));
    try {
      const horatio = await s.connect('horatio');
      await horatio.ok(horatio.pubsub('set', `<create node='one'/>`));
      assert.deepEqual(errorOf(await horatio.pubsub('set', `<create node='two'/>`)), { type: 'cancel', condition: 'not-allowed', pubsub: 'max-nodes-exceeded' });
      const auto = await horatio.pubsub('set', `<publish node='three'><item>${entry('x')}</item></publish>`);
      assert.equal(errorOf(auto).pubsub, 'max-nodes-exceeded');
      await horatio.ok(horatio.pubsub('set', `<publish node='one'><item>${entry('x')}</item></publish>`));
    } finally {
      await s.stop();
    }
  });
});
