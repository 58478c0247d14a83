// XEP-0191 3.3 (no stanzas from a blocked entity reach the user) for event notifications, which pubsub
// and PEP write to sessions without the router: a PEP notification comes from the publishing account,
// a pubsub.<domain> one from the service, each matched against the block list as in section 5.
// XEP-0163 4.3 (+notify interest through XEP-0115 caps) and XEP-0060 7.1.2 (notifications to a bare JID).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capsVerification } from '../../src/modules/disco/entity-caps.js';
import { startScenario, submitForm, NODE_CONFIG, SERVICE, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const BLOCKING = 'urn:xmpp:blocking';
const TUNE = 'http://jabber.org/protocol/tune';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const EVENT = 'http://jabber.org/protocol/pubsub#event';
const tune = (title: string) => `<tune xmlns='${TUNE}'><title>${title}</title></tune>`;

/** Caps asking for tune+notify (XEP-0115), and the features to answer the server's query with. */
function tuneCaps(): { presence: string; features: string[] } {
  const features = [DISCO_INFO, `${TUNE}+notify`];
  const ver = capsVerification([{ category: 'client', type: 'pc', name: 'Test' }], features);
  return { presence: `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:test:blocking' ver='${ver}'/>`, features };
}

async function answerCapsQuery(c: PubsubClient, features: string[]): Promise<void> {
  const q = await c.client.receive((el) => el.name === 'iq' && el.attrs.type === 'get' && !!el.getChild('query', DISCO_INFO));
  const node = q.getChild('query')!.attrs.node;
  const body = features.map((f) => `<feature var='${f}'/>`).join('');
  c.send(`<iq type='result' id='${q.attrs.id}' to='${q.attrs.from}'><query xmlns='${DISCO_INFO}' node='${node}'><identity category='client' type='pc' name='Test'/>${body}</query></iq>`);
}

/** The tune title of the item an event notification carries. */
const titleOf = (note: Awaited<ReturnType<PubsubClient['event']>>) =>
  note.getChild('event', EVENT)!.getChild('items')!.getChild('item')!.getChild('tune', TUNE)!.getChildText('title');

describe('blocking and event notifications (XEP-0191 3.3 with XEP-0163 and XEP-0060)', () => {
  let s: Scenario;
  let alice: PubsubClient;
  let bob: PubsubClient;

  const blockIq = (c: PubsubClient, verb: 'block' | 'unblock', jid: string) =>
    c.ok(c.iq('set', undefined, `<${verb} xmlns='${BLOCKING}'><item jid='${jid}'/></${verb}>`));
  // One item id throughout, so a publish replaces the item without retract notifications (PEP max_items 1).
  const publishTune = (title: string) => bob.ok(bob.pubsub('set', `<publish node='${TUNE}'><item id='current'>${tune(title)}</item></publish>`, null));
  /** The next notification about bob's tune node, skipping none: titles arrive in publishing order. */
  const nextTune = async (c: PubsubClient) => titleOf(await c.event(TUNE));

  before(async () => {
    s = await startScenario(['alice', 'bob']);
    const roster = s.server.host.stores.roster;
    for (const [a, b] of [['alice', 'bob'], ['bob', 'alice']]) {
      await roster.setItem(a!, { jid: `${b}@localhost`, subscription: 'both', ask: false, approved: false, groups: [] });
    }
    bob = await s.connect('bob', 'desk');
    const caps = tuneCaps();
    alice = await s.connect('alice', 'phone', { presence: caps.presence });
    await answerCapsQuery(alice, caps.features);
  });
  after(() => s.stop());

  it('a contact asking for tune+notify gets the PEP notification from the publishing account (XEP-0163 4.3)', async () => {
    await publishTune('first');
    const note = await alice.event(TUNE);
    assert.deepEqual([note.attrs.from, titleOf(note)], ['bob@localhost', 'first']);
  });

  it('after the user blocks the publishing account, its PEP notifications are withheld (XEP-0191 3.3)', async () => {
    await blockIq(alice, 'block', 'bob@localhost');
    await publishTune('while-blocked');
    await alice.noEvent(TUNE);
  });

  it('after an unblock the PEP notifications arrive again, and the withheld one never does (XEP-0191 3.4)', async () => {
    await blockIq(alice, 'unblock', 'bob@localhost');
    await publishTune('after-unblock');
    assert.equal(await nextTune(alice), 'after-unblock');
  });

  it('a block of the whole domain covers its accounts, so their PEP notifications too (XEP-0191 5)', async () => {
    await blockIq(alice, 'block', 'localhost');
    await publishTune('domain-blocked');
    await alice.noEvent(TUNE);
    await blockIq(alice, 'unblock', 'localhost');
    await publishTune('domain-unblocked');
    assert.equal(await nextTune(alice), 'domain-unblocked');
  });

  it('blocking an account does not withhold what pubsub.localhost sends about its publishes; blocking the service does (XEP-0191 5)', async () => {
    const node = 'blocking-news';
    await bob.ok(bob.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'open' })}</configure>`));
    await alice.ok(alice.pubsub('set', `<subscribe node='${node}' jid='alice@localhost'/>`));
    const publish = (title: string) => bob.ok(bob.pubsub('set', `<publish node='${node}'><item id='current'>${tune(title)}</item></publish>`));
    const nextNews = async () => titleOf(await alice.event(node));

    await blockIq(alice, 'block', 'bob@localhost');
    await publish('from-the-service');
    const note = await alice.event(node);
    assert.deepEqual([note.attrs.from, titleOf(note)], [SERVICE, 'from-the-service']);

    await blockIq(alice, 'block', SERVICE);
    await publish('service-blocked');
    await alice.noEvent(node);

    await blockIq(alice, 'unblock', SERVICE);
    await blockIq(alice, 'unblock', 'bob@localhost');
    await publish('service-unblocked');
    assert.equal(await nextNews(), 'service-unblocked');
  });
});
