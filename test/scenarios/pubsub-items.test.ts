// XEP-0060 6.5 (retrieve items: all, the most recent max_items 6.5.7, particular ids 6.5.8, a transient
// node's last item 6.5.4, no items 6.5.9.11, the 6.5.9 error cases) and XEP-0059 paging (6.5.4 RSM:
// max, after, before, index, count), over the wire. Items come newest first.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { entry, errorOf, NODE_CONFIG, SUBSCRIBE_OPTIONS, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const RSM = 'http://jabber.org/protocol/rsm';
const ids = (res: Element) => res.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id);

describe('retrieve items (XEP-0060 6.5, XEP-0059)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await hamlet.ok(hamlet.pubsub('set', `<publish node='diary'><item id='${id}'>${entry(id)}</item></publish>`));
    }
  });
  after(() => s.stop());

  it('all items come back newest first with their payloads intact (6.5.2)', async () => {
    const res = await francisco.ok(francisco.pubsub('get', `<items node='diary'/>`));
    assert.deepEqual(ids(res), ['e', 'd', 'c', 'b', 'a']);
    const payload = res.getChild('pubsub')!.getChild('items')!.getChild('item')!.getChild('entry', 'urn:example:entry')!;
    assert.equal(payload.text(), 'e');
  });

  it('a payload keeps the namespaces it inherited and its prefixes (7.1: opaque to the service)', async () => {
    await hamlet.ok(
      hamlet.pubsub('set', `<publish node='diary-ns' xmlns:geo='urn:example:geo'><item id='p'><geo:point lat='1'><geo:name>x</geo:name></geo:point></item></publish>`),
    );
    const res = await francisco.ok(francisco.pubsub('get', `<items node='diary-ns'/>`));
    const point = res.getChild('pubsub')!.getChild('items')!.getChild('item')!.getChildElements()[0]!;
    assert.equal(point.name, 'geo:point');
    assert.equal(point.getNS(), 'urn:example:geo');
    assert.equal(point.getChild('name')?.getNS(), 'urn:example:geo');
  });

  it('max_items returns the N most recent items (6.5.7)', async () => {
    const res = await francisco.ok(francisco.pubsub('get', `<items node='diary' max_items='2'/>`));
    assert.deepEqual(ids(res), ['e', 'd']);
  });

  it('a max_items that is not a positive integer is bad-request', async () => {
    assert.equal(errorOf(await francisco.pubsub('get', `<items node='diary' max_items='many'/>`)).condition, 'bad-request');
  });

  it('particular items are requested by ItemID, several at once, absent ones skipped (6.5.8, 6.5.6)', async () => {
    const res = await francisco.ok(francisco.pubsub('get', `<items node='diary'><item id='b'/><item id='d'/><item id='zz'/></items>`));
    assert.deepEqual(ids(res), ['d', 'b']);
  });

  it('a node without items answers an empty <items/> (6.5.9.11)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='empty'/>`));
    const res = await francisco.ok(francisco.pubsub('get', `<items node='empty'/>`));
    const items = res.getChild('pubsub')!.getChild('items')!;
    assert.equal(items.attrs.node, 'empty');
    assert.equal(items.getChildElements().length, 0);
  });

  it('a transient node returns its last published item (6.5.4)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='transient'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#persist_items': '0' })}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='transient'><item id='old'>${entry('1')}</item></publish>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='transient'><item id='new'>${entry('2')}</item></publish>`));
    assert.deepEqual(ids(await francisco.ok(francisco.pubsub('get', `<items node='transient'/>`))), ['new']);
  });

  it('RSM pages through items with first, last, index and count, and after continues (XEP-0059 2.1-2.3)', async () => {
    const first = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>2</max></set>`));
    assert.deepEqual(ids(first), ['e', 'd']);
    const set = first.getChild('pubsub')!.getChild('set', RSM)!;
    assert.equal(set.getChildText('count'), '5');
    assert.equal(set.getChild('first')!.attrs.index, '0');
    assert.deepEqual([set.getChildText('first'), set.getChildText('last')], ['e', 'd']);
    const next = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>2</max><after>d</after></set>`));
    assert.deepEqual(ids(next), ['c', 'b']);
    assert.equal(next.getChild('pubsub')!.getChild('set', RSM)!.getChild('first')!.attrs.index, '2');
    const rest = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>2</max><after>b</after></set>`));
    assert.deepEqual(ids(rest), ['a']);
  });

  it('RSM before with no id is the last page; before an id pages backwards; index jumps (XEP-0059 2.5, 2.6)', async () => {
    const last = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>2</max><before/></set>`));
    assert.deepEqual(ids(last), ['b', 'a']);
    const prev = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>2</max><before>b</before></set>`));
    assert.deepEqual(ids(prev), ['d', 'c']);
    const jump = await francisco.ok(francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>1</max><index>3</index></set>`));
    assert.deepEqual(ids(jump), ['b']);
  });

  it('RSM after an unknown item is item-not-found; a malformed max is bad-request', async () => {
    assert.equal(errorOf(await francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><after>nope</after></set>`)).condition, 'item-not-found');
    assert.equal(errorOf(await francisco.pubsub('get', `<items node='diary'/><set xmlns='${RSM}'><max>-1</max></set>`)).condition, 'bad-request');
  });

  it('with several subscriptions to a members-only node, retrieval needs the subid (6.5.9.1) and a wrong one is invalid-subid (6.5.9.2)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='closed'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'authorize' })}</configure>`));
    await hamlet.ok(hamlet.owner('set', `<subscriptions node='closed'><subscription jid='${francisco.jid}' subscription='subscribed'/></subscriptions>`));
    const again = await francisco.ok(francisco.pubsub('set', `<subscribe node='closed' jid='${francisco.jid}'/><options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest': '1' })}</options>`));
    const subid = again.getChild('pubsub')!.getChild('subscription')!.attrs.subid;
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items node='closed'/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'subid-required' });
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items node='closed' subid='nope'/>`)), { type: 'modify', condition: 'not-acceptable', pubsub: 'invalid-subid' });
    await francisco.ok(francisco.pubsub('get', `<items node='closed' subid='${subid}'/>`));
  });

  it('an authorize node does not give items to an entity that is not subscribed: not-authorized, not-subscribed (6.5.9.3)', async () => {
    const bernardo = await s.connect('bernardo');
    assert.deepEqual(errorOf(await bernardo.pubsub('get', `<items node='closed'/>`)), { type: 'auth', condition: 'not-authorized', pubsub: 'not-subscribed' });
  });

  it('an outcast is blocked from retrieval: forbidden (6.5.9.10)', async () => {
    await hamlet.ok(hamlet.owner('set', `<affiliations node='diary'><affiliation jid='francisco@localhost' affiliation='outcast'/></affiliations>`));
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items node='diary'/>`)), { type: 'auth', condition: 'forbidden' });
    await hamlet.ok(hamlet.owner('set', `<affiliations node='diary'><affiliation jid='francisco@localhost' affiliation='none'/></affiliations>`));
  });

  it('items of a node that does not exist are item-not-found (6.5.9.11)', async () => {
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items node='no-such-node'/>`)), { type: 'cancel', condition: 'item-not-found' });
  });

  it('items without a node are nodeid-required', async () => {
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'nodeid-required' });
  });
});
