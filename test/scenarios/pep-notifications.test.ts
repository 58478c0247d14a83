// XEP-0163 (PEP) over the wire: every account a pubsub service at its bare JID (identity pubsub/pep and
// the PEP features, 5), auto-create with presence access on publish (3, 7), notifications to contacts'
// resources that ask with '<node>+notify' in XEP-0115 caps (4.2, 4.3; the server queries node#ver and
// verifies the hash), to the account's own resources, replyto naming the publishing resource (4.3.1),
// the last item when a contact's resource becomes available (4.3.4), strangers refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capsVerification } from '../../src/modules/disco/entity-caps.js';
import { errorOf, PUBSUB, PUBLISH_OPTIONS, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const TUNE = 'http://jabber.org/protocol/tune';
const GEOLOC = 'http://jabber.org/protocol/geoloc';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const IDENTITY = { category: 'client', type: 'pc', name: 'Test' };
const tune = (title: string) => `<tune xmlns='${TUNE}'><title>${title}</title></tune>`;

function caps(features: string[]): { presence: string; features: string[]; ver: string } {
  const all = [DISCO_INFO, ...features];
  const ver = capsVerification([IDENTITY], all);
  return { presence: `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:test:client' ver='${ver}'/>`, features: all, ver };
}

/** Answers the server's disco#info query for our caps (XEP-0115 5.2), with `features` (or lying ones). */
async function answerCapsQuery(c: PubsubClient, features: string[]): Promise<void> {
  const q = await c.client.receive((el) => el.name === 'iq' && el.attrs.type === 'get' && !!el.getChild('query', DISCO_INFO));
  const node = q.getChild('query')!.attrs.node;
  assert.equal(q.attrs.from, 'localhost');
  const body = features.map((f) => `<feature var='${f}'/>`).join('');
  c.send(`<iq type='result' id='${q.attrs.id}' to='${q.attrs.from}'><query xmlns='${DISCO_INFO}' node='${node}'><identity category='client' type='pc' name='Test'/>${body}</query></iq>`);
}

describe('PEP notifications (XEP-0163)', () => {
  let s: Scenario;
  let juliet: PubsubClient;
  let romeo: PubsubClient;
  const wantsTune = caps([`${TUNE}+notify`]);

  before(async () => {
    s = await startScenario(['juliet', 'romeo', 'nurse', 'benvolio']);
    const roster = s.server.host.stores.roster;
    for (const [a, b] of [['juliet', 'romeo'], ['romeo', 'juliet'], ['juliet', 'nurse'], ['nurse', 'juliet']]) {
      await roster.setItem(a!, { jid: `${b}@localhost`, subscription: 'both', ask: false, approved: false, groups: [] });
    }
    juliet = await s.connect('juliet', 'balcony');
    romeo = await s.connect('romeo', 'orchard', { presence: wantsTune.presence });
    await answerCapsQuery(romeo, wantsTune.features);
  });
  after(() => s.stop());

  it('the account advertises identity pubsub/pep and the PEP features (XEP-0163 5)', async () => {
    const res = await juliet.ok(juliet.iq('get', undefined, `<query xmlns='${DISCO_INFO}'/>`));
    const q = res.getChild('query')!;
    assert.ok(q.getChildren('identity').some((i) => i.attrs.category === 'pubsub' && i.attrs.type === 'pep'));
    const features = new Set(q.getChildren('feature').map((f) => f.attrs.var));
    for (const f of ['auto-create', 'auto-subscribe', 'filtered-notifications', 'publish', 'publish-options', 'access-presence', 'pubsub-on-a-jid', 'last-published']) {
      assert.ok(features.has(`${PUBSUB}#${f}`), f);
    }
  });

  it('publishing to a missing node of one\'s own account creates it with presence access (3, 7)', async () => {
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Finzi')}</item></publish>`, null));
    const cfg = await juliet.ok(juliet.owner('get', `<configure node='${TUNE}'/>`, null));
    const access = cfg.getChild('pubsub')!.getChild('configure')!.getChild('x')!.getChildren('field').find((f) => f.attrs.var === 'pubsub#access_model');
    assert.equal(access!.getChildText('value'), 'presence');
    await romeo.event(TUNE);
  });

  it('a contact resource asking for tune+notify gets the notification from the bare JID, with the publishing resource as replyto (4.3.1)', async () => {
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Introduction')}</item></publish>`, null));
    const note = await romeo.event(TUNE);
    assert.deepEqual([note.attrs.from, note.attrs.to, note.attrs.type], ['juliet@localhost', romeo.jid, 'headline']);
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.getChild('tune', TUNE)!.getChildText('title'), 'Introduction');
    const replyto = note.getChild('addresses', 'http://jabber.org/protocol/address')!.getChild('address')!;
    assert.deepEqual([replyto.attrs.type, replyto.attrs.jid], ['replyto', juliet.jid]);
  });

  it('a contact resource without +notify for the node gets nothing (filtered notifications, XEP-0060 9.2)', async () => {
    const quiet = await s.connect('romeo', 'no-caps');
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Allegro')}</item></publish>`, null));
    await romeo.event(TUNE);
    await quiet.noEvent(TUNE);
    await juliet.ok(juliet.pubsub('set', `<publish node='${GEOLOC}'><item id='current'><geoloc xmlns='${GEOLOC}'><lat>45.44</lat></geoloc></item></publish>`, null));
    await romeo.noEvent(GEOLOC);
  });

  it("the account's own resources that ask for the node are notified too (4.1)", async () => {
    const chamber = await s.connect('juliet', 'chamber', { presence: wantsTune.presence });
    await chamber.event(TUNE); // the last item on becoming available (cached caps: no query this time)
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Own')}</item></publish>`, null));
    const note = await chamber.event(TUNE);
    assert.equal(note.attrs.to, chamber.jid);
    await romeo.event(TUNE);
    await juliet.noEvent(TUNE);
  });

  it('a contact resource that becomes available gets the last item once its caps are known (4.3.4)', async () => {
    const pda = await s.connect('romeo', 'pda', { presence: wantsTune.presence });
    const note = await pda.event(TUNE);
    assert.equal(note.attrs.from, 'juliet@localhost');
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.getChild('tune')!.getChildText('title'), 'Own');
    assert.ok(note.getChild('delay', 'urn:xmpp:delay'));
    // a later presence with the same interest sends nothing again (4.3.2 note)
    pda.send(`<presence><show>away</show>${wantsTune.presence}</presence>`);
    await pda.noEvent(TUNE);
  });

  it('new caps asking for another node bring that node\'s last item, and only that one (XEP-0060 9.2)', async () => {
    const both = caps([`${TUNE}+notify`, `${GEOLOC}+notify`]);
    romeo.send(`<presence>${both.presence}</presence>`);
    await answerCapsQuery(romeo, both.features);
    const note = await romeo.event();
    assert.equal(note.getChild('event')!.getChild('items')!.attrs.node, GEOLOC);
    assert.ok(note.getChild('delay', 'urn:xmpp:delay'));
    await romeo.noEvent(TUNE);
  });

  it('caps whose disco#info does not hash to ver are not trusted: no notifications (XEP-0115 5.4)', async () => {
    const liar = caps([`${TUNE}+notify`]);
    const nurse = await s.connect('nurse', 'chamber', { presence: liar.presence.replace(liar.ver, 'bm90IGEgcmVhbCBoYXNo') });
    await answerCapsQuery(nurse, liar.features);
    await nurse.ok(nurse.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Poison')}</item></publish>`, null));
    await romeo.event(TUNE);
    await nurse.noEvent(TUNE);
  });

  it('a stranger without a presence subscription gets no notifications and may not read the node (presence access)', async () => {
    const benvolio = await s.connect('benvolio', 'street', { presence: wantsTune.presence });
    await juliet.ok(juliet.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune('Private')}</item></publish>`, null));
    await romeo.event(TUNE);
    await benvolio.noEvent(TUNE);
    assert.deepEqual(errorOf(await benvolio.pubsub('get', `<items node='${TUNE}'/>`, 'juliet@localhost')), {
      type: 'auth',
      condition: 'not-authorized',
      pubsub: 'presence-subscription-required',
    });
    assert.equal(errorOf(await benvolio.pubsub('set', `<subscribe node='${TUNE}' jid='${benvolio.jid}'/>`, 'juliet@localhost')).pubsub, 'presence-subscription-required');
  });

  it('disco#items of the account lists only the nodes the asker may see (XEP-0163 6.2)', async () => {
    const benvolio = await s.connect('benvolio', 'disco');
    await juliet.ok(juliet.pubsub('set', `<publish node='public'><item id='1'><note xmlns='urn:example'/></item></publish><publish-options>${submitForm(PUBLISH_OPTIONS, { 'pubsub#access_model': 'open' })}</publish-options>`, null));
    const seenByStranger = await benvolio.ok(benvolio.iq('get', 'juliet@localhost', `<query xmlns='http://jabber.org/protocol/disco#items'/>`));
    assert.deepEqual(seenByStranger.getChild('query')!.getChildren('item').map((i) => i.attrs.node), ['public']);
    const seenByContact = await romeo.ok(romeo.iq('get', 'juliet@localhost', `<query xmlns='http://jabber.org/protocol/disco#items'/>`));
    assert.deepEqual(seenByContact.getChild('query')!.getChildren('item').map((i) => i.attrs.node).sort(), [GEOLOC, TUNE, 'public'].sort());
    for (const i of seenByContact.getChild('query')!.getChildren('item')) assert.equal(i.attrs.jid, 'juliet@localhost');
    await benvolio.ok(benvolio.pubsub('get', `<items node='public'/>`, 'juliet@localhost'));
  });

  it('an explicit subscriber without a presence subscription gets notifications without replyto (4.3.1)', async () => {
    const benvolio = await s.connect('benvolio', 'subscriber');
    await benvolio.ok(benvolio.pubsub('set', `<subscribe node='public' jid='${benvolio.jid}'/>`, 'juliet@localhost'));
    await benvolio.event('public');
    await juliet.ok(juliet.pubsub('set', `<publish node='public'><item id='2'><note xmlns='urn:example'/></item></publish>`, null));
    const note = await benvolio.event('public');
    assert.equal(note.attrs.from, 'juliet@localhost');
    assert.equal(note.getChild('addresses', 'http://jabber.org/protocol/address'), undefined);
  });

  it('nobody but the account publishes to its PEP service or creates nodes there', async () => {
    assert.equal(errorOf(await romeo.pubsub('set', `<publish node='${TUNE}'><item>${tune('x')}</item></publish>`, 'juliet@localhost')).condition, 'forbidden');
    assert.equal(errorOf(await romeo.pubsub('set', `<create node='mine'/>`, 'juliet@localhost')).condition, 'forbidden');
  });

  it('disco#info of a PEP node answers pubsub/leaf with its meta-data', async () => {
    const res = await romeo.ok(romeo.iq('get', 'juliet@localhost', `<query xmlns='${DISCO_INFO}' node='${TUNE}'/>`));
    const identity = res.getChild('query')!.getChild('identity')!;
    assert.deepEqual([identity.attrs.category, identity.attrs.type], ['pubsub', 'leaf']);
  });

  it('a contact whose presence subscription is cancelled loses its explicit subscription to a presence node (XEP-0163 8)', async () => {
    await romeo.ok(romeo.pubsub('set', `<subscribe node='${TUNE}' jid='${romeo.jid}'/>`, 'juliet@localhost'));
    juliet.send(`<presence to='romeo@localhost' type='unsubscribed'/>`);
    const note = await romeo.event(TUNE, 'subscription');
    assert.deepEqual([note.attrs.from, note.getChild('event')!.getChild('subscription')!.attrs.subscription], ['juliet@localhost', 'none']);
    assert.equal(errorOf(await romeo.pubsub('get', `<items node='${TUNE}'/>`, 'juliet@localhost')).pubsub, 'presence-subscription-required');
  });

  it('an authorize PEP node asks the account, which answers by message to its own bare JID (XEP-0060 8.6)', async () => {
    await juliet.ok(juliet.pubsub('set', `<publish node='diary'><item id='1'><note xmlns='urn:example'/></item></publish><publish-options>${submitForm(PUBLISH_OPTIONS, { 'pubsub#access_model': 'authorize' })}</publish-options>`, null));
    const benvolio = await s.connect('benvolio', 'suitor');
    const pending = await benvolio.ok(benvolio.pubsub('set', `<subscribe node='diary' jid='${benvolio.jid}'/>`, 'juliet@localhost'));
    assert.equal(pending.getChild('pubsub')!.getChild('subscription')!.attrs.subscription, 'pending');
    const ask = await juliet.client.receive((el) => el.name === 'message' && el.getChild('x', 'jabber:x:data')?.attrs.type === 'form');
    assert.equal(ask.attrs.from, 'juliet@localhost');
    juliet.send(`<message to='juliet@localhost' id='yes'>${submitForm('http://jabber.org/protocol/pubsub#subscribe_authorization', { 'pubsub#node': 'diary', 'pubsub#subscriber_jid': benvolio.jid, 'pubsub#allow': '1' })}</message>`);
    const told = await benvolio.event('diary', 'subscription');
    assert.equal(told.getChild('event')!.getChild('subscription')!.attrs.subscription, 'subscribed');
  });
});
