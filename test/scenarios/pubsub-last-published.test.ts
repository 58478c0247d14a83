// XEP-0060 6.1.7 and 12.9 (send_last_published_item never / on_sub / on_sub_and_presence): the last item
// follows the subscription's IQ result, stamped with XEP-0203 delay; with on_sub_and_presence a
// subscriber's resource gets it after its initial presence, never at resource binding.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, NODE_CONFIG, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('last published item (XEP-0060 6.1.7, 12.9)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  const create = async (node: string, mode: string) => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#send_last_published_item': mode })}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='old'>${entry('old')}</item></publish>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='last'>${entry('last')}</item></publish>`));
  };

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    await create('on-sub', 'on_sub');
    await create('never', 'never');
    await create('always', 'on_sub_and_presence');
  });
  after(() => s.stop());

  it('on_sub: the IQ result comes first, then the last item stamped with delay (6.1.7)', async () => {
    francisco.send(`<iq type='set' id='sub-first' to='pubsub.localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='on-sub' jid='${francisco.jid}'/></pubsub></iq>`);
    const first = await francisco.client.receive((el) => (el.name === 'iq' && el.attrs.id === 'sub-first') || el.name === 'message');
    assert.equal(first.name, 'iq');
    const note = await francisco.event('on-sub');
    const items = note.getChild('event')!.getChild('items')!.getChildren('item');
    assert.deepEqual(items.map((i) => i.attrs.id), ['last']);
    const delay = note.getChild('delay', 'urn:xmpp:delay')!;
    assert.match(delay.attrs.stamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(delay.attrs.from, 'pubsub.localhost');
  });

  it('never: no item after subscribing', async () => {
    await francisco.ok(francisco.pubsub('set', `<subscribe node='never' jid='${francisco.jid}'/>`));
    await francisco.noEvent('never');
  });

  it('on_sub_and_presence: a subscriber gets the last item after initial presence, not at bind (12.9)', async () => {
    const bernardo = await s.connect('bernardo', 'r');
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='always' jid='bernardo@localhost'/>`));
    assert.equal((await bernardo.event('always')).getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'last');
    const later = await s.connect('bernardo', 'later', { online: false });
    await later.noEvent('always');
    later.send('<presence/>');
    const note = await later.event('always');
    assert.equal(note.attrs.to, later.jid);
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'last');
    assert.ok(note.getChild('delay', 'urn:xmpp:delay'));
  });

  it('on_sub: a subscriber coming online gets nothing', async () => {
    const again = await s.connect('francisco', 'again');
    await again.noEvent('on-sub');
  });

  it('a new publish after the last item was sent is a plain notification, without delay', async () => {
    const bernardo = await s.connect('bernardo', 'third');
    await bernardo.event('always');
    await hamlet.ok(hamlet.pubsub('set', `<publish node='always'><item id='fresh'>${entry('fresh')}</item></publish>`));
    const note = await bernardo.event('always');
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'fresh');
    assert.equal(note.getChild('delay', 'urn:xmpp:delay'), undefined);
  });
});
