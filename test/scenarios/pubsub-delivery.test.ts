// Where notifications go (XEP-0060 12.3 intended recipients, 12.6 notification_type, 12.7 presence-based
// delivery, 12.3.1 bounces; RFC 6121 8.5 delivery rules; XEP-0160 offline storage): normal notifications
// to an offline subscriber wait in offline storage, headlines do not; presence_based_delivery sends only
// to available subscribers; a notification bounced by an address that does not exist ends its subscription.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entry, NODE_CONFIG, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

describe('notification delivery (XEP-0060 12.3-12.7)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  const create = (node: string, config: Record<string, string>) =>
    hamlet.ok(hamlet.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#send_last_published_item': 'never', ...config })}</configure>`));
  const publish = (node: string, id: string) => hamlet.ok(hamlet.pubsub('set', `<publish node='${node}'><item id='${id}'>${entry(id)}</item></publish>`));
  /** Subscribes the user's bare JID from a session, then ends the session: the user is offline. */
  const subscribeThenLeave = async (user: string, node: string) => {
    const c = await s.connect(user, 'gone');
    await c.ok(c.pubsub('set', `<subscribe node='${node}' jid='${user}@localhost'/>`));
    c.send(`<presence type='unavailable'/>`);
    await c.ok(c.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    c.destroy();
    await c.client.closed;
  };

  before(async () => {
    s = await startScenario(['hamlet', 'ophelia', 'laertes', 'polonius', 'gertrude']);
    hamlet = await s.connect('hamlet');
  });
  after(() => s.stop());

  it('notification_type normal to an offline subscriber is stored offline and delivered at the next presence', async () => {
    await create('letters', { 'pubsub#notification_type': 'normal' });
    await subscribeThenLeave('ophelia', 'letters');
    await publish('letters', 'remember-me');
    await hamlet.ok(hamlet.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    const ophelia = await s.connect('ophelia', 'back');
    const note = await ophelia.event('letters');
    assert.equal(note.attrs.type ?? 'normal', 'normal');
    assert.equal(note.getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'remember-me');
    assert.ok(note.getChild('delay', 'urn:xmpp:delay'), 'offline storage stamps the delay');
  });

  it('headline notifications to an offline subscriber are not stored', async () => {
    await create('gossip', { 'pubsub#notification_type': 'headline' });
    await subscribeThenLeave('laertes', 'gossip');
    await publish('gossip', 'passing');
    await hamlet.ok(hamlet.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    const laertes = await s.connect('laertes', 'back');
    await laertes.noEvent('gossip');
  });

  it('presence_based_delivery sends nothing to an unavailable subscriber, not even to offline storage (12.7)', async () => {
    await create('live', { 'pubsub#notification_type': 'normal', 'pubsub#presence_based_delivery': '1' });
    await subscribeThenLeave('polonius', 'live');
    await publish('live', 'missed');
    await hamlet.ok(hamlet.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
    const polonius = await s.connect('polonius', 'back');
    await polonius.noEvent('live');
    await publish('live', 'seen');
    assert.equal((await polonius.event('live')).getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'seen');
  });

  it('every notification carries its own id (12.3.1)', async () => {
    await create('ids', {});
    const gertrude = await s.connect('gertrude');
    await gertrude.ok(gertrude.pubsub('set', `<subscribe node='ids' jid='${gertrude.jid}'/>`));
    await publish('ids', 'a');
    await publish('ids', 'b');
    const a = await gertrude.event('ids');
    const b = await gertrude.event('ids');
    assert.ok(a.attrs.id && b.attrs.id && a.attrs.id !== b.attrs.id);
  });

  it('a notification bounced by an address that does not exist ends that subscription (12.3.1)', async () => {
    await create('bouncy', { 'pubsub#notification_type': 'normal' });
    await hamlet.ok(hamlet.owner('set', `<subscriptions node='bouncy'><subscription jid='ghost@localhost' subscription='subscribed'/></subscriptions>`));
    await publish('bouncy', 'boo');
    let jids: string[] = ['ghost@localhost'];
    for (let attempt = 0; attempt < 100 && jids.includes('ghost@localhost'); attempt++) {
      await hamlet.ok(hamlet.iq('get', 'localhost', `<ping xmlns='urn:xmpp:ping'/>`));
      const res = await hamlet.ok(hamlet.owner('get', `<subscriptions node='bouncy'/>`));
      jids = res.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').map((x) => x.attrs.jid!);
    }
    assert.deepEqual(jids, []);
  });
});
