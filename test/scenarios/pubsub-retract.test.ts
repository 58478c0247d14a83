// XEP-0060 7.2 (delete an item: success, notify='true' 7.2.2.1, SubIDs 7.2.2.2, every 7.2.3 error case)
// and the node's notify_retract setting, over the wire.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, errorOf, NODE_CONFIG, SUBSCRIBE_OPTIONS, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('retract items (XEP-0060 7.2)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  const publish = (node: string, id: string) => hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='${id}'>${entry(id)}</item></publish>`));
  const retract = (c: PubsubClient, node: string, items: string, notify = '') => c.pubsub('set', `<retract node='${node}'${notify}>${items}</retract>`);

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    await hamlet.ok(hamlet.pubsub('set', `<create node='quiet'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#notify_retract': '0' })}</configure>`));
    await francisco.ok(francisco.pubsub('set', `<subscribe node='quiet' jid='${francisco.jid}'/>`));
    for (const id of ['a', 'b', 'c']) {
      await publish('quiet', id);
      await francisco.event('quiet');
    }
  });
  after(() => s.stop());

  it('a retraction deletes the item; without notify and notify_retract nobody is told (7.2.2)', async () => {
    await hamlet.ok(retract(hamlet, 'quiet', `<item id='a'/>`));
    await francisco.noEvent('quiet');
    const items = await francisco.ok(francisco.pubsub('get', `<items node='quiet'/>`));
    assert.deepEqual(items.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id), ['c', 'b']);
  });

  it("notify='true' tells every subscriber with a <retract/> (7.2.2.1)", async () => {
    await hamlet.ok(retract(hamlet, 'quiet', `<item id='b'/>`, ` notify='true'`));
    const note = await francisco.event('quiet');
    const items = note.getChild('event')!.getChild('items')!;
    assert.equal(items.attrs.node, 'quiet');
    assert.deepEqual(items.getChildren('retract').map((r) => r.attrs.id), ['b']);
  });

  it('a node with notify_retract notifies even without the attribute, with SubIDs for several subscriptions (7.2.2.2)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='loud'/>`));
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='loud' jid='${bernardo.jid}'/>`));
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='loud' jid='${bernardo.jid}'/><options>${submitForm(SUBSCRIBE_OPTIONS, { 'pubsub#digest': '1' })}</options>`));
    await publish('loud', 'x');
    await bernardo.event('loud');
    await hamlet.ok(retract(hamlet, 'loud', `<item id='x'/>`));
    const note = await bernardo.event('loud');
    assert.deepEqual(note.getChild('event')!.getChild('items')!.getChildren('retract').map((r) => r.attrs.id), ['x']);
    assert.equal(note.getChild('headers', 'http://jabber.org/protocol/shim')!.getChildren('header').length, 2);
  });

  it('an entity that may not delete the item is forbidden (7.2.3.1)', async () => {
    assert.deepEqual(errorOf(await retract(francisco, 'quiet', `<item id='c'/>`)), { type: 'auth', condition: 'forbidden' });
  });

  it('a missing node or item is item-not-found (7.2.3.2)', async () => {
    assert.deepEqual(errorOf(await retract(hamlet, 'no-such-node', `<item id='c'/>`)), { type: 'cancel', condition: 'item-not-found' });
    assert.deepEqual(errorOf(await retract(hamlet, 'quiet', `<item id='zzz'/>`)), { type: 'cancel', condition: 'item-not-found' });
  });

  it('a retraction without node is nodeid-required (7.2.3.3)', async () => {
    assert.deepEqual(errorOf(await hamlet.pubsub('set', `<retract><item id='c'/></retract>`)), { type: 'modify', condition: 'bad-request', pubsub: 'nodeid-required' });
  });

  it('a retraction without an item or an ItemID is item-required (7.2.3.4)', async () => {
    assert.deepEqual(errorOf(await retract(hamlet, 'quiet', '')), { type: 'modify', condition: 'bad-request', pubsub: 'item-required' });
    assert.deepEqual(errorOf(await retract(hamlet, 'quiet', `<item/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'item-required' });
  });

  it('a node that does not persist items cannot have them deleted: unsupported persistent-items (7.2.3.5)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='fleeting'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#persist_items': '0' })}</configure>`));
    await publish('fleeting', 'f');
    assert.deepEqual(errorOf(await retract(hamlet, 'fleeting', `<item id='f'/>`)), {
      type: 'cancel',
      condition: 'feature-not-implemented',
      pubsub: 'unsupported',
      feature: 'persistent-items',
    });
  });

  it('a notify attribute that is not a boolean is bad-request', async () => {
    assert.equal(errorOf(await retract(hamlet, 'quiet', `<item id='c'/>`, ` notify='maybe'`)).condition, 'bad-request');
  });
});
