// XEP-0060 8.6 (approval requests to owners, approving, denying and cancelling by submitting the
// subscribe_authorization form back) and 8.7 (the get-pending ad-hoc command of XEP-0050 with its error
// cases), for nodes with the authorize access model, over the wire.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { entry, errorOf, NODE_CONFIG, SERVICE, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const COMMANDS = 'http://jabber.org/protocol/commands';
const GET_PENDING = 'http://jabber.org/protocol/pubsub#get-pending';
const AUTHORIZATION = 'http://jabber.org/protocol/pubsub#subscribe_authorization';

const isApprovalForm = (el: Element) => el.name === 'message' && el.getChild('x', 'jabber:x:data')?.attrs.type === 'form';
const fieldsOf = (x: Element) => Object.fromEntries(x.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')]));

describe('pending subscriptions (XEP-0060 8.6, 8.7)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  let marcellus: PubsubClient;
  const answer = (node: string, jid: string, allow: string, subid = '') =>
    hamlet.send(
      `<message to='${SERVICE}' id='approve1'>${submitForm(AUTHORIZATION, { 'pubsub#node': node, 'pubsub#subscriber_jid': jid, 'pubsub#allow': allow, ...(subid ? { 'pubsub#subid': subid } : {}) })}</message>`,
    );
  const subscriptionState = async (node: string, jid: string) => {
    const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='${node}'/>`));
    return res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').find((x) => x.attrs.jid === jid)?.attrs.subscription;
  };

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo', 'marcellus']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    marcellus = await s.connect('marcellus');
    await hamlet.ok(hamlet.pubsub('set', `<create node='castle'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'authorize' })}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='castle'><item id='latest'>${entry('ghost sighted')}</item></publish>`));
  });
  after(() => s.stop());

  it('the owner approves by submitting the form: the subscriber is told and gets the last item (8.6, 12.9)', async () => {
    await francisco.ok(francisco.pubsub('set', `<subscribe node='castle' jid='${francisco.jid}'/>`));
    const ask = await hamlet.client.receive(isApprovalForm);
    const fields = fieldsOf(ask.getChild('x')!);
    assert.equal(fields.FORM_TYPE, AUTHORIZATION);
    answer('castle', francisco.jid, 'true', fields['pubsub#subid'] ?? '');
    const told = await francisco.event('castle');
    assert.equal(told.getChild('event')!.getChild('subscription')!.attrs.subscription, 'subscribed');
    const last = await francisco.event('castle');
    assert.equal(last.getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'latest');
    assert.ok(last.getChild('delay', 'urn:xmpp:delay'));
  });

  it('the owner denies by submitting allow=false: the request is gone and the subscriber told (8.6)', async () => {
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='castle' jid='${bernardo.jid}'/>`));
    await hamlet.client.receive(isApprovalForm);
    answer('castle', bernardo.jid, 'false');
    const told = await bernardo.event('castle');
    assert.equal(told.getChild('event')!.getChild('subscription')!.attrs.subscription, 'none');
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='castle' jid='${bernardo.jid}'/>`));
    await hamlet.client.receive(isApprovalForm);
  });

  it('a cancelled form leaves the request pending (8.6)', async () => {
    hamlet.send(`<message to='${SERVICE}' id='approve2'><x xmlns='jabber:x:data' type='cancel'><field var='FORM_TYPE' type='hidden'><value>${AUTHORIZATION}</value></field></x></message>`);
    await hamlet.ok(hamlet.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='castle'/>`));
    // pending requests are not listed among subscriptions (8.8.1): bernardo is still waiting
    assert.equal(res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').some((x) => x.attrs.jid === bernardo.jid), false);
    assert.equal(errorOf(await bernardo.pubsub('set', `<subscribe node='castle' jid='${bernardo.jid}'/>`)).pubsub, 'pending-subscription');
  });

  it('an approval form from someone who is not an owner is refused with an error message', async () => {
    marcellus.send(`<message to='${SERVICE}' id='forge'>${submitForm(AUTHORIZATION, { 'pubsub#node': 'castle', 'pubsub#subscriber_jid': bernardo.jid, 'pubsub#allow': 'true' })}</message>`);
    const err = await marcellus.client.receive((el) => el.name === 'message' && el.attrs.type === 'error');
    assert.equal(err.attrs.id, 'forge');
    assert.ok(err.getChild('error')!.getChild('forbidden'));
  });

  it('get-pending offers the nodes the owner may approve for, then sends one form per pending request (8.7)', async () => {
    const start = await hamlet.ok(hamlet.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' action='execute'/>`));
    const command = start.getChild('command', COMMANDS)!;
    assert.equal(command.attrs.status, 'executing');
    const options = command.getChild('x')!.getChildren('field').find((f) => f.attrs.var === 'pubsub#node')!.getChildren('option').map((o) => o.getChildText('value'));
    assert.ok(options.includes('castle'));
    const done = await hamlet.ok(
      hamlet.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' sessionid='${command.attrs.sessionid}'>${submitForm(AUTHORIZATION, { 'pubsub#node': 'castle' })}</command>`),
    );
    assert.equal(done.getChild('command', COMMANDS)!.attrs.status, 'completed');
    const form = await hamlet.client.receive(isApprovalForm);
    assert.equal(fieldsOf(form.getChild('x')!)['pubsub#subscriber_jid'], bernardo.jid);
    answer('castle', bernardo.jid, '1');
    assert.equal((await bernardo.event('castle')).getChild('event')!.getChild('subscription')!.attrs.subscription, 'subscribed');
    assert.equal(await subscriptionState('castle', bernardo.jid), 'subscribed');
  });

  it('get-pending by an entity that owns no node is forbidden (8.7.3.3); an unknown session is bad-sessionid', async () => {
    const res = await marcellus.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' action='execute'/>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'forbidden' });
    const bad = await hamlet.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' sessionid='made-up'>${submitForm(AUTHORIZATION, { 'pubsub#node': 'castle' })}</command>`);
    assert.equal(errorOf(bad).condition, 'bad-request');
    assert.ok(bad.getChild('error')!.getChild('bad-sessionid', COMMANDS));
  });

  it('get-pending for a node that does not exist is item-not-found (8.7.3.4)', async () => {
    const start = await hamlet.ok(hamlet.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' action='execute'/>`));
    const sessionid = start.getChild('command', COMMANDS)!.attrs.sessionid;
    const res = await hamlet.iq('set', SERVICE, `<command xmlns='${COMMANDS}' node='${GET_PENDING}' sessionid='${sessionid}'>${submitForm(AUTHORIZATION, { 'pubsub#node': 'no-such-node' })}</command>`);
    assert.deepEqual(errorOf(res), { type: 'cancel', condition: 'item-not-found' });
  });

  it('the commands node lists get-pending (XEP-0050 2.2)', async () => {
    const res = await hamlet.ok(hamlet.iq('get', SERVICE, `<query xmlns='http://jabber.org/protocol/disco#items' node='${COMMANDS}'/>`));
    assert.deepEqual(res.getChild('query')!.getChildren('item').map((i) => i.attrs.node), [GET_PENDING]);
  });

  it('making a pending requester a publisher approves it (8.7.4 note)', async () => {
    await marcellus.ok(marcellus.pubsub('set', `<subscribe node='castle' jid='${marcellus.jid}'/>`));
    await hamlet.client.receive(isApprovalForm);
    await hamlet.ok(hamlet.owner('set', `<affiliations node='castle'><affiliation jid='marcellus@localhost' affiliation='publisher'/></affiliations>`));
    assert.equal((await marcellus.event('castle')).getChild('event')!.getChild('subscription')!.attrs.subscription, 'subscribed');
  });
});
