// XEP-0060 6.3 (subscription options: the form, submission, every error case of 6.3.4 and 6.3.5.2,
// subscribe-and-configure 6.3.7), 6.4 (default subscription options) and what the options change in
// delivery (deliver, show-values, expire=presence).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, errorOf, formValues, PUBSUB, SUBSCRIBE_OPTIONS, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('subscription options (XEP-0060 6.3, 6.4)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  const publish = (node: string, id: string) => hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='${id}'>${entry(id)}</item></publish>`));

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    await hamlet.ok(hamlet.pubsub('set', `<create node='musings'/>`));
    await francisco.ok(francisco.pubsub('set', `<subscribe node='musings' jid='${francisco.jid}'/>`));
  });
  after(() => s.stop());

  it('the options form has the subscribe_options FORM_TYPE and every registered field (6.3.2, 16.4.2)', async () => {
    const res = await francisco.ok(francisco.pubsub('get', `<options node='musings' jid='${francisco.jid}'/>`));
    const options = res.getChild('pubsub')!.getChild('options')!;
    assert.deepEqual([options.attrs.node, options.attrs.jid], ['musings', francisco.jid]);
    assert.ok(options.attrs.subid);
    const x = options.getChild('x', 'jabber:x:data')!;
    assert.equal(x.attrs.type, 'form');
    const values = formValues(x);
    assert.deepEqual(values.FORM_TYPE, [SUBSCRIBE_OPTIONS]);
    for (const f of ['deliver', 'digest', 'digest_frequency', 'expire', 'include_body', 'show-values', 'subscription_type', 'subscription_depth']) {
      assert.ok(`pubsub#${f}` in values, f);
    }
    assert.deepEqual(values['pubsub#deliver'], ['1']);
    const show = x.getChildren('field').find((f) => f.attrs.var === 'pubsub#show-values')!;
    assert.equal(show.attrs.type, 'list-multi');
    assert.deepEqual(show.getChildren('option').map((o) => o.getChildText('value')).sort(), ['away', 'chat', 'dnd', 'online', 'xa']);
  });

  it('a submitted form changes the subscription: deliver=0 stops notifications (6.3.5)', async () => {
    await francisco.ok(francisco.pubsub('set', `<options node='musings' jid='${francisco.jid}'>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#deliver': '0' })}</options>`));
    await publish('musings', 'quiet');
    await francisco.noEvent('musings');
    await francisco.ok(francisco.pubsub('set', `<options node='musings' jid='${francisco.jid}'>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#deliver': 'true' })}</options>`));
    await publish('musings', 'loud');
    const note = await francisco.event('musings');
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'loud');
  });

  it('show-values limits delivery to the presence shows the subscriber chose (6.3, 16.4.2)', async () => {
    await francisco.ok(francisco.pubsub('set', `<options node='musings' jid='${francisco.jid}'>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#show-values': ['chat', 'online'] })}</options>`));
    francisco.send(`<presence><show>away</show></presence>`);
    await francisco.client.receiveNamed('presence', (p) => p.attrs.from === francisco.jid);
    await publish('musings', 'while-away');
    await francisco.noEvent('musings');
    francisco.send(`<presence/>`);
    await francisco.client.receiveNamed('presence', (p) => p.attrs.from === francisco.jid);
    await publish('musings', 'back');
    assert.equal((await francisco.event('musings')).getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'back');
  });

  it('options of an entity that is not subscribed are unexpected-request, not-subscribed (6.3.4.2)', async () => {
    const res = await bernardo.pubsub('get', `<options node='musings' jid='${bernardo.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'unexpected-request', pubsub: 'not-subscribed' });
  });

  it('options of another entity\'s subscription are forbidden (6.3.4.1)', async () => {
    const res = await bernardo.pubsub('get', `<options node='musings' jid='${francisco.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'forbidden' });
  });

  it('options without the subscriber JID are bad-request, jid-required (6.3.4.3)', async () => {
    const res = await francisco.pubsub('get', `<options node='musings'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request', pubsub: 'jid-required' });
  });

  it('with several subscriptions, options need the subid (6.3.4.4) and a wrong one is invalid-subid (6.3.4.5)', async () => {
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='musings' jid='${bernardo.jid}'/>`));
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='musings' jid='${bernardo.jid}'/><options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest': '1' })}</options>`));
    assert.deepEqual(errorOf(await bernardo.pubsub('get', `<options node='musings' jid='${bernardo.jid}'/>`)), {
      type: 'modify',
      condition: 'bad-request',
      pubsub: 'subid-required',
    });
    assert.deepEqual(errorOf(await bernardo.pubsub('get', `<options node='musings' jid='${bernardo.jid}' subid='nope'/>`)), {
      type: 'modify',
      condition: 'not-acceptable',
      pubsub: 'invalid-subid',
    });
  });

  it('options of a node that does not exist are item-not-found (6.3.4.7)', async () => {
    const res = await francisco.pubsub('get', `<options node='no-such-node' jid='${francisco.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'item-not-found' });
  });

  it('an invalid set of options is bad-request, invalid-options (6.3.5.2)', async () => {
    const bad = await francisco.pubsub('set', `<options node='musings' jid='${francisco.jid}'>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#show-values': 'sleeping' })}</options>`);
    assert.deepEqual(errorOf(bad), { type: 'modify', condition: 'bad-request', pubsub: 'invalid-options' });
    const unknown = await francisco.pubsub('set', `<options node='musings' jid='${francisco.jid}'>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#colour': 'red' })}</options>`);
    assert.deepEqual(errorOf(unknown), { type: 'modify', condition: 'bad-request', pubsub: 'invalid-options' });
  });

  it('subscribe-and-configure answers the resulting options as a result form (6.3.7)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='configured'/>`));
    const res = await francisco.ok(
      francisco.pubsub('set', `<subscribe node='configured' jid='${francisco.jid}'/><options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#include_body': 'false', 'pubsub#show-values': ['chat', 'online', 'away'] })}</options>`),
    );
    const x = res.getChild('pubsub')!.getChild('options')!.getChild('x', 'jabber:x:data')!;
    assert.equal(x.attrs.type, 'result');
    assert.deepEqual(formValues(x)['pubsub#show-values']!.sort(), ['away', 'chat', 'online']);
  });

  it('<options/> after <subscribe/> with its own node or jid is bad-request (6.3.7)', async () => {
    const res = await francisco.pubsub('set', `<subscribe node='configured' jid='${francisco.jid}'/><options node='configured'>${submitForm(SUBSCRIBE_OPTIONS, {})}</options>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request' });
  });

  it('expire=presence makes a temporary subscription that ends with unavailable presence (12.4)', async () => {
    const temp = await s.connect('bernardo', 'temp');
    await temp.ok(temp.pubsub('set', `<subscribe node='configured' jid='${temp.jid}'/><options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#expire': 'presence' })}</options>`));
    temp.send(`<presence type='unavailable'/>`);
    // Stanzas of one stream are handled in order: once this ping is answered, the presence was processed.
    await temp.ok(temp.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='configured'/>`));
    const subs = res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').map((x) => x.attrs.jid!);
    assert.deepEqual(subs, [francisco.jid]);
  });

  it('default subscription options of the service and of a node are result forms (6.4)', async () => {
    const service = await francisco.ok(francisco.pubsub('get', `<default/>`));
    const def = service.getChild('pubsub')!.getChild('default')!;
    assert.equal(def.attrs.node, undefined);
    assert.deepEqual(formValues(def.getChild('x'))['FORM_TYPE'], [SUBSCRIBE_OPTIONS]);
    const node = await francisco.ok(francisco.pubsub('get', `<default node='musings'/>`));
    assert.equal(node.getChild('pubsub', PUBSUB)!.getChild('default')!.attrs.node, 'musings');
    const missing = await francisco.pubsub('get', `<default node='no-such-node'/>`);
    assert.equal(errorOf(missing).condition, 'item-not-found');
  });
});
