// The server as a publisher (DESIGN.md section 3, the calendar feed): publishAsServer creates feed/<user>
// with whitelist access and the user as its only member, publishes as the domain (a service admin),
// resolves with the ItemID once committed; the user subscribes and receives, others are refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pubsubOf, ServerPublishError, type PubsubModule } from '../../src/modules/pubsub/index.js';
import { errorOf, formValues, startScenario, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const change = (id: string, token: number) =>
  `<change xmlns='urn:almanac:change:0' resource='event' id='${id}' action='updated' sync-token='${token}'><json xmlns='urn:xmpp:json:0'>{"id":"${id}"}</json></change>`;
const feed = { config: { access_model: 'whitelist' as const, max_items: 'max' as const, notification_type: 'normal' as const }, affiliations: { 'alice@localhost': 'member' as const } };

describe('publishing as the server (the calendar feed)', () => {
  let s: Scenario;
  let pubsub: PubsubModule;
  let alice: PubsubClient;
  let mallory: PubsubClient;
  before(async () => {
    s = await startScenario(['alice', 'mallory']);
    pubsub = pubsubOf(s.server.host)!;
    alice = await s.connect('alice');
    mallory = await s.connect('mallory');
  });
  after(() => s.stop());

  it('the first publish creates the node with the given configuration and affiliations, owned by the server', async () => {
    const id = await pubsub.publishAsServer('feed/alice', 'event:1', change('1', 1), feed);
    assert.equal(id, 'event:1');
    const meta = await alice.ok(alice.iq('get', pubsub.jid, `<query xmlns='http://jabber.org/protocol/disco#info' node='feed/alice'/>`));
    const values = formValues(meta.getChild('query')!.getChild('x'));
    assert.deepEqual(values['pubsub#access_model'], ['whitelist']);
    assert.deepEqual(values['pubsub#creator'], ['localhost']);
    assert.deepEqual(values['pubsub#notification_type'], ['normal']);
  });

  it('the member subscribes, reads the history and receives the next change; a stranger is refused', async () => {
    await alice.ok(alice.pubsub('set', `<subscribe node='feed/alice' jid='alice@localhost'/>`));
    await alice.event('feed/alice');
    const items = await alice.ok(alice.pubsub('get', `<items node='feed/alice'/>`));
    assert.deepEqual(items.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id), ['event:1']);
    await pubsub.publishAsServer('feed/alice', 'event:2', change('2', 2), feed);
    const note = await alice.event('feed/alice');
    const item = note.getChild('event')!.getChild('items')!.getChild('item')!;
    assert.equal(item.attrs.id, 'event:2');
    assert.equal(item.getChild('change', 'urn:almanac:change:0')!.attrs['sync-token'], '2');
    assert.deepEqual(errorOf(await mallory.pubsub('get', `<items node='feed/alice'/>`)), { type: 'cancel', condition: 'not-allowed', pubsub: 'closed-node' });
    assert.deepEqual(errorOf(await mallory.pubsub('set', `<subscribe node='feed/alice' jid='${mallory.jid}'/>`)).pubsub, 'closed-node');
  });

  it('nobody but the server publishes to the feed', async () => {
    assert.equal(errorOf(await alice.pubsub('set', `<publish node='feed/alice'><item>${change('3', 3)}</item></publish>`)).condition, 'forbidden');
  });

  it('an affiliation an owner changed is not overwritten by later publishes', async () => {
    await pubsub.ensureNodeAsServer('feed/alice', { affiliations: { 'mallory@localhost': 'member' } });
    const owner = pubsub.engine;
    const affs = await owner.getNodeAffiliations('localhost', 'feed/alice');
    assert.ok(affs.ok);
    assert.deepEqual(affs.value.map((a) => [a.jid, a.affiliation]).sort(), [['alice@localhost', 'member'], ['localhost', 'owner'], ['mallory@localhost', 'member']]);
    await owner.setNodeAffiliations('localhost', 'feed/alice', [{ jid: 'mallory@localhost', affiliation: 'outcast' }]);
    await pubsub.publishAsServer('feed/alice', 'event:4', change('4', 4), { ...feed, affiliations: { 'mallory@localhost': 'member' } });
    const after = await owner.getNodeAffiliations('localhost', 'feed/alice');
    assert.ok(after.ok && after.value.some((a) => a.jid === 'mallory@localhost' && a.affiliation === 'outcast'));
  });

  it('retractAsServer notifies subscribers; deleteNodeAsServer removes the node, a missing one is no error', async () => {
    await alice.event('feed/alice');
    await pubsub.retractAsServer('feed/alice', ['event:4']);
    const note = await alice.event('feed/alice');
    assert.deepEqual(note.getChild('event')!.getChild('items')!.getChildren('retract').map((r) => r.attrs.id), ['event:4']);
    await pubsub.deleteNodeAsServer('feed/alice');
    await pubsub.deleteNodeAsServer('feed/alice');
    assert.equal(errorOf(await alice.pubsub('get', `<items node='feed/alice'/>`)).condition, 'item-not-found');
  });

  it('a refused server publish rejects with the XEP-0060 error pair', async () => {
    await pubsub.ensureNodeAsServer('typed', { config: { type: 'urn:almanac:change:0' } });
    await assert.rejects(pubsub.publishAsServer('typed', 'x', `<other xmlns='urn:other'/>`), (err: unknown) => {
      assert.ok(err instanceof ServerPublishError);
      assert.equal(err.error.pubsub, 'invalid-payload');
      return true;
    });
  });
});
