// XEP-0060 6.1 (subscribe: success, every error case of 6.1.3, approval 6.1.4, multiple subscriptions
// 6.1.6) and 6.2 (unsubscribe: success and every error case of 6.2.3), over the wire.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, errorOf, NODE_CONFIG, submitForm, SUBSCRIBE_OPTIONS, startScenario, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('subscribe and unsubscribe (XEP-0060 6.1, 6.2)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  const create = (node: string, config: Record<string, string | string[]> = {}) =>
    hamlet.ok(hamlet.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, config)}</configure>`));
  const subscribe = (c: PubsubClient, node: string, jid = c.jid, extra = '') => c.pubsub('set', `<subscribe node='${node}' jid='${jid}'/>${extra}`);

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    await create('open');
  });
  after(() => s.stop());

  it('a subscription is confirmed with node, jid, subid and state subscribed (6.1.2)', async () => {
    const res = await francisco.ok(subscribe(francisco, 'open'));
    const sub = res.getChild('pubsub')!.getChild('subscription')!;
    assert.deepEqual([sub.attrs.node, sub.attrs.jid, sub.attrs.subscription], ['open', francisco.jid, 'subscribed']);
    assert.match(sub.attrs.subid!, /\S+/);
  });

  it('the same subscription again answers its current state instead of a second one (6.1.6)', async () => {
    const first = await francisco.ok(subscribe(francisco, 'open'));
    const again = await francisco.ok(subscribe(francisco, 'open'));
    const subid = (r: typeof first) => r.getChild('pubsub')!.getChild('subscription')!.attrs.subid;
    assert.equal(subid(again), subid(first));
  });

  it('subscribing another entity\'s JID is bad-request with invalid-jid (6.1.3.1)', async () => {
    const res = await francisco.pubsub('set', `<subscribe node='open' jid='bernardo@localhost'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request', pubsub: 'invalid-jid' });
  });

  it('a presence node refuses an entity without a presence subscription: not-authorized, presence-subscription-required (6.1.3.2)', async () => {
    await create('presence-only', { 'pubsub#access_model': 'presence' });
    const res = await subscribe(bernardo, 'presence-only');
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'not-authorized', pubsub: 'presence-subscription-required' });
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'bernardo@localhost', subscription: 'from', ask: false, approved: false, groups: [] });
    await bernardo.ok(subscribe(bernardo, 'presence-only'));
  });

  it('a roster node refuses an entity outside the allowed groups: not-authorized, not-in-roster-group (6.1.3.3)', async () => {
    await create('courtiers', { 'pubsub#access_model': 'roster', 'pubsub#roster_groups_allowed': 'courtiers' });
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'francisco@localhost', subscription: 'both', ask: false, approved: false, groups: ['guards'] });
    const res = await subscribe(francisco, 'courtiers');
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'not-authorized', pubsub: 'not-in-roster-group' });
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'francisco@localhost', subscription: 'both', ask: false, approved: false, groups: ['courtiers'] });
    await francisco.ok(subscribe(francisco, 'courtiers'));
  });

  it('a whitelist node refuses an entity that is not a member: not-allowed, closed-node (6.1.3.4)', async () => {
    await create('members', { 'pubsub#access_model': 'whitelist' });
    const res = await subscribe(francisco, 'members');
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'not-allowed', pubsub: 'closed-node' });
    await hamlet.ok(hamlet.owner('set', `<affiliations node='members'><affiliation jid='francisco@localhost' affiliation='member'/></affiliations>`));
    await francisco.ok(subscribe(francisco, 'members'));
  });

  it('an authorize node answers pending and asks the owner with a subscribe_authorization form (6.1.4, 8.6)', async () => {
    await create('guarded', { 'pubsub#access_model': 'authorize' });
    const res = await francisco.ok(subscribe(francisco, 'guarded'));
    assert.equal(res.getChild('pubsub')!.getChild('subscription')!.attrs.subscription, 'pending');
    const ask = await hamlet.client.receive((el) => el.name === 'message' && !!el.getChild('x', 'jabber:x:data'));
    const fields = Object.fromEntries(ask.getChild('x')!.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')]));
    assert.equal(fields.FORM_TYPE, 'http://jabber.org/protocol/pubsub#subscribe_authorization');
    assert.equal(fields['pubsub#node'], 'guarded');
    assert.equal(fields['pubsub#subscriber_jid'], francisco.jid);
  });

  it('subscribing again while pending is not-authorized with pending-subscription (6.1.3.7)', async () => {
    const res = await subscribe(francisco, 'guarded');
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'not-authorized', pubsub: 'pending-subscription' });
  });

  it('an outcast is blocked: forbidden (6.1.3.8)', async () => {
    await create('no-bernardo');
    await hamlet.ok(hamlet.owner('set', `<affiliations node='no-bernardo'><affiliation jid='bernardo@localhost' affiliation='outcast'/></affiliations>`));
    const res = await subscribe(bernardo, 'no-bernardo');
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'forbidden' });
  });

  it('too many subscriptions of one JID is policy-violation with too-many-subscriptions (6.1.3.9)', async () => {
    await create('busy');
    for (let i = 0; i < 8; i++) {
      await bernardo.ok(subscribe(bernardo, 'busy', bernardo.jid, `<options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest_frequency': String(1000 + i) })}</options>`));
    }
    const res = await subscribe(bernardo, 'busy', bernardo.jid, `<options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest_frequency': '999' })}</options>`);
    assert.deepEqual(errorOf(res), { type: 'wait', condition: 'policy-violation', pubsub: 'too-many-subscriptions' });
  });

  it('a node that does not allow subscriptions is feature-not-implemented, unsupported subscribe (6.1.3.10)', async () => {
    await create('no-subs', { 'pubsub#subscribe': '0' });
    const res = await subscribe(francisco, 'no-subs');
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'feature-not-implemented', pubsub: 'unsupported', feature: 'subscribe' });
  });

  it('a node deleted with a redirect has moved: gone with the new address (6.1.3.11)', async () => {
    await create('old-home');
    await hamlet.ok(hamlet.owner('set', `<delete node='old-home'><redirect uri='xmpp:pubsub.localhost?;node=new-home'/></delete>`));
    const res = await subscribe(francisco, 'old-home');
    assert.equal(errorOf(res).condition, 'gone');
    assert.equal(res.getChild('error')!.getChildText('gone', 'urn:ietf:params:xml:ns:xmpp-stanzas'), 'xmpp:pubsub.localhost?;node=new-home');
  });

  it('a node that does not exist is item-not-found (6.1.3.12)', async () => {
    const res = await subscribe(francisco, 'no-such-node');
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'item-not-found' });
  });

  it('a subscribe without jid is jid-required, without node nodeid-required', async () => {
    assert.deepEqual(errorOf(await francisco.pubsub('set', `<subscribe node='open'/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'jid-required' });
    assert.deepEqual(errorOf(await francisco.pubsub('set', `<subscribe jid='${francisco.jid}'/>`)), {
      type: 'modify',
      condition: 'bad-request',
      pubsub: 'nodeid-required',
    });
  });

  it('a JID subscribed twice with different options gets one notification carrying both SubIDs as SHIM headers (6.1.6, 7.1.2.4)', async () => {
    await create('twice');
    const a = await bernardo.ok(subscribe(bernardo, 'twice'));
    const b = await bernardo.ok(subscribe(bernardo, 'twice', bernardo.jid, `<options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest_frequency': '5' })}</options>`));
    const subids = [a, b].map((r) => r.getChild('pubsub')!.getChild('subscription')!.attrs.subid).sort();
    assert.notEqual(subids[0], subids[1]);
    await hamlet.ok(hamlet.pubsub('set', `<publish node='twice'><item id='i'>${entry('x')}</item></publish>`));
    const note = await bernardo.event('twice');
    const headers = note.getChild('headers', 'http://jabber.org/protocol/shim')!.getChildren('header');
    assert.deepEqual(headers.map((h) => h.attrs.name), ['SubID', 'SubID']);
    assert.deepEqual(headers.map((h) => h.text()).sort(), subids);
    await bernardo.noEvent('twice');
  });

  it('unsubscribing echoes the subscription in state none with its subid (6.2.2)', async () => {
    const sub = await francisco.ok(subscribe(francisco, 'open'));
    const subid = sub.getChild('pubsub')!.getChild('subscription')!.attrs.subid;
    const res = await francisco.ok(francisco.pubsub('set', `<unsubscribe node='open' jid='${francisco.jid}'/>`));
    const echoed = res.getChild('pubsub')!.getChild('subscription')!;
    assert.deepEqual([echoed.attrs.subscription, echoed.attrs.subid], ['none', subid]);
  });

  it('unsubscribing with several subscriptions and no subid is bad-request, subid-required (6.2.3.1)', async () => {
    const res = await bernardo.pubsub('set', `<unsubscribe node='twice' jid='${bernardo.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'bad-request', pubsub: 'subid-required' });
  });

  it('unsubscribing an entity that is not subscribed is unexpected-request, not-subscribed (6.2.3.2)', async () => {
    const res = await francisco.pubsub('set', `<unsubscribe node='open' jid='${francisco.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'unexpected-request', pubsub: 'not-subscribed' });
  });

  it('unsubscribing another entity without privileges is forbidden (6.2.3.3)', async () => {
    const res = await francisco.pubsub('set', `<unsubscribe node='twice' jid='${bernardo.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'auth', condition: 'forbidden' });
  });

  it('unsubscribing from a node that does not exist is item-not-found (6.2.3.4)', async () => {
    const res = await francisco.pubsub('set', `<unsubscribe node='no-such-node' jid='${francisco.jid}'/>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'item-not-found' });
  });

  it('unsubscribing with a subid that is not current is not-acceptable, invalid-subid (6.2.3.5)', async () => {
    const res = await bernardo.pubsub('set', `<unsubscribe node='twice' jid='${bernardo.jid}' subid='not-a-subid'/>`);
    assert.deepEqual(errorOf(res), { type: 'modify', condition: 'not-acceptable', pubsub: 'invalid-subid' });
  });
});
