// XEP-0060 7.1 (publish: notifications with and without payload 7.1.2, the publisher attribute 7.1.2.3,
// generated ItemIDs, overwrite, node full 7.1.2.5, every 7.1.3 error case, auto-create 7.1.4 and
// publish-options preconditions 7.1.5), over the wire.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { entry, errorOf, formValues, NODE_CONFIG, PUBLISH_OPTIONS, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const itemsOf = (note: Element) => note.getChild('event')!.getChild('items')!;
const publishedId = (res: Element) => res.getChild('pubsub')!.getChild('publish')!.getChild('item')!.attrs.id;

describe('publish (XEP-0060 7.1)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  let bernardo: PubsubClient;
  const create = (node: string, config: Record<string, string | string[]> = {}) =>
    hamlet.ok(hamlet.pubsub('set', `<create node='${node}'/><configure>${submitForm(NODE_CONFIG, config)}</configure>`));
  const publish = (c: PubsubClient, node: string, item: string, extra = '') => c.pubsub('set', `<publish node='${node}'>${item}</publish>${extra}`);
  const subscribe = (c: PubsubClient, node: string) => c.ok(c.pubsub('set', `<subscribe node='${node}' jid='${c.jid}'/>`));

  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'bernardo']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    bernardo = await s.connect('bernardo');
    await create('news');
    await subscribe(francisco, 'news');
  });
  after(() => s.stop());

  it('a subscriber receives the item with its payload in a headline from the service, with an id (7.1.2.1)', async () => {
    const res = await hamlet.ok(publish(hamlet, 'news', `<item id='first'>${entry('hello')}</item>`));
    assert.equal(publishedId(res), 'first');
    const note = await francisco.event('news');
    assert.deepEqual([note.attrs.from, note.attrs.to, note.attrs.type], ['pubsub.localhost', francisco.jid, 'headline']);
    assert.ok(note.attrs.id);
    const item = itemsOf(note).getChild('item')!;
    assert.equal(item.attrs.id, 'first');
    assert.equal(item.getChild('entry', 'urn:example:entry')!.text(), 'hello');
  });

  it('without an ItemID the service generates a unique one and returns it (7.1.2)', async () => {
    const a = publishedId(await hamlet.ok(publish(hamlet, 'news', `<item>${entry('x')}</item>`)));
    const b = publishedId(await hamlet.ok(publish(hamlet, 'news', `<item>${entry('y')}</item>`)));
    assert.ok(a && b && a !== b);
    assert.equal(itemsOf(await francisco.event('news')).getChild('item')!.attrs.id, a);
    assert.equal(itemsOf(await francisco.event('news')).getChild('item')!.attrs.id, b);
  });

  it('publishing an existing ItemID overwrites the item and notifies again (7.1.2, 12.13)', async () => {
    await hamlet.ok(publish(hamlet, 'news', `<item id='first'>${entry('again')}</item>`));
    assert.equal(itemsOf(await francisco.event('news')).getChild('item')!.getChild('entry')!.text(), 'again');
    const items = await francisco.ok(francisco.pubsub('get', `<items node='news'><item id='first'/></items>`));
    assert.equal(items.getChild('pubsub')!.getChild('items')!.getChildren('item').length, 1);
    assert.equal(items.getChild('pubsub')!.getChild('items')!.getChild('item')!.getChild('entry')!.text(), 'again');
  });

  it('a node that does not deliver payloads sends the ItemID only (7.1.2.2)', async () => {
    await create('bare-news', { 'pubsub#deliver_payloads': '0' });
    await subscribe(francisco, 'bare-news');
    await hamlet.ok(publish(hamlet, 'bare-news', `<item id='n1'>${entry('secret')}</item>`));
    const item = itemsOf(await francisco.event('bare-news')).getChild('item')!;
    assert.equal(item.attrs.id, 'n1');
    assert.equal(item.getChildElements().length, 0);
  });

  it('itemreply=publisher adds the publisher to notifications and retrieved items (7.1.2.3)', async () => {
    await create('signed', { 'pubsub#itemreply': 'publisher' });
    await subscribe(francisco, 'signed');
    await hamlet.ok(publish(hamlet, 'signed', `<item id='s1'>${entry('s')}</item>`));
    assert.equal(itemsOf(await francisco.event('signed')).getChild('item')!.attrs.publisher, 'hamlet@localhost');
    const items = await francisco.ok(francisco.pubsub('get', `<items node='signed'/>`));
    assert.equal(items.getChild('pubsub')!.getChild('items')!.getChild('item')!.attrs.publisher, 'hamlet@localhost');
  });

  it('a full node retracts its oldest item and tells subscribers (7.1.2.5 retract-oldest)', async () => {
    await create('short', { 'pubsub#max_items': '2' });
    await subscribe(francisco, 'short');
    for (const id of ['1', '2', '3']) await hamlet.ok(publish(hamlet, 'short', `<item id='${id}'>${entry(id)}</item>`));
    const notes: Element[] = [];
    for (let i = 0; i < 4; i++) notes.push(await francisco.event('short'));
    const retracts = notes.flatMap((n) => itemsOf(n).getChildren('retract').map((r) => r.attrs.id));
    assert.deepEqual(retracts, ['1']);
    const items = await francisco.ok(francisco.pubsub('get', `<items node='short'/>`));
    assert.deepEqual(items.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id), ['3', '2']);
  });

  it('a full node set to reject refuses the item: conflict, node-full (7.1.3.4)', async () => {
    await create('strict', { 'pubsub#max_items': '1', 'pubsub#publish_node_full': 'reject' });
    await hamlet.ok(publish(hamlet, 'strict', `<item id='1'>${entry('1')}</item>`));
    assert.deepEqual(errorOf(await publish(hamlet, 'strict', `<item id='2'>${entry('2')}</item>`)), { type: 'cancel', condition: 'conflict', pubsub: 'node-full' });
    await hamlet.ok(publish(hamlet, 'strict', `<item id='1'>${entry('overwrite is fine')}</item>`));
  });

  it('an entity that is not a publisher is forbidden (7.1.3.1)', async () => {
    assert.deepEqual(errorOf(await publish(bernardo, 'news', `<item>${entry('spam')}</item>`)), { type: 'auth', condition: 'forbidden' });
  });

  it('publish_model open lets anyone publish; subscribers lets subscribers publish (16.4.4)', async () => {
    await create('wall', { 'pubsub#publish_model': 'open' });
    await bernardo.ok(publish(bernardo, 'wall', `<item>${entry('graffiti')}</item>`));
    await create('club', { 'pubsub#publish_model': 'subscribers' });
    assert.equal(errorOf(await publish(bernardo, 'club', `<item>${entry('x')}</item>`)).condition, 'forbidden');
    await subscribe(bernardo, 'club');
    await bernardo.ok(publish(bernardo, 'club', `<item>${entry('x')}</item>`));
  });

  it('a payload above max_payload_size is not-acceptable, payload-too-big (7.1.3.4)', async () => {
    await create('tiny', { 'pubsub#max_payload_size': '40' });
    assert.deepEqual(errorOf(await publish(hamlet, 'tiny', `<item>${entry('a payload far longer than forty bytes')}</item>`)), {
      type: 'modify',
      condition: 'not-acceptable',
      pubsub: 'payload-too-big',
    });
  });

  it('an item with two payload elements, or of another namespace than pubsub#type, is bad-request, invalid-payload (7.1.3.5)', async () => {
    assert.deepEqual(errorOf(await publish(hamlet, 'news', `<item>${entry('1')}${entry('2')}</item>`)), { type: 'modify', condition: 'bad-request', pubsub: 'invalid-payload' });
    await create('typed', { 'pubsub#type': 'urn:example:entry' });
    await hamlet.ok(publish(hamlet, 'typed', `<item>${entry('ok')}</item>`));
    assert.deepEqual(errorOf(await publish(hamlet, 'typed', `<item><other xmlns='urn:example:other'/></item>`)), { type: 'modify', condition: 'bad-request', pubsub: 'invalid-payload' });
  });

  it('a publish that does not match the event type is refused: item-required, payload-required, item-forbidden (7.1.3.6)', async () => {
    assert.deepEqual(errorOf(await hamlet.pubsub('set', `<publish node='news'/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'item-required' });
    assert.deepEqual(errorOf(await publish(hamlet, 'news', `<item id='empty'/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'payload-required' });
    await create('pings', { 'pubsub#persist_items': '0', 'pubsub#deliver_payloads': '0' });
    assert.deepEqual(errorOf(await publish(hamlet, 'pings', `<item id='x'/>`)), { type: 'modify', condition: 'bad-request', pubsub: 'item-forbidden' });
    await subscribe(francisco, 'pings');
    await hamlet.ok(hamlet.pubsub('set', `<publish node='pings'/>`));
    assert.equal(itemsOf(await francisco.event('pings')).getChildElements().length, 0);
  });

  it('more than one item in a publish is bad-request (batch publishing removed, 7.1.1)', async () => {
    assert.equal(errorOf(await publish(hamlet, 'news', `<item id='1'>${entry('1')}</item><item id='2'>${entry('2')}</item>`)).condition, 'bad-request');
  });

  it('publishing to a missing node creates it with the default configuration, the publisher its owner (7.1.4)', async () => {
    await hamlet.ok(publish(hamlet, 'born-on-publish', `<item id='1'>${entry('1')}</item>`));
    const config = await hamlet.ok(hamlet.owner('get', `<configure node='born-on-publish'/>`));
    assert.deepEqual(formValues(config.getChild('pubsub')!.getChild('configure')!.getChild('x'))['pubsub#access_model'], ['open']);
  });

  it('publish-options on a missing node create it with those options (7.1.5 rule 3)', async () => {
    await hamlet.ok(publish(hamlet, 'private', `<item id='1'>${entry('1')}</item>`, `<publish-options>${submitForm(PUBLISH_OPTIONS, { 'pubsub#access_model': 'whitelist' })}</publish-options>`));
    assert.deepEqual(errorOf(await francisco.pubsub('get', `<items node='private'/>`)), { type: 'cancel', condition: 'not-allowed', pubsub: 'closed-node' });
  });

  it('a precondition that holds lets the publish through; one that does not is conflict, precondition-not-met (7.1.5)', async () => {
    const opts = (fields: Record<string, string>) => `<publish-options>${submitForm(PUBLISH_OPTIONS, fields)}</publish-options>`;
    await hamlet.ok(publish(hamlet, 'private', `<item id='2'>${entry('2')}</item>`, opts({ 'pubsub#access_model': 'whitelist' })));
    assert.deepEqual(errorOf(await publish(hamlet, 'private', `<item id='3'>${entry('3')}</item>`, opts({ 'pubsub#access_model': 'open' }))), {
      type: 'cancel',
      condition: 'conflict',
      pubsub: 'precondition-not-met',
    });
    assert.equal(errorOf(await publish(hamlet, 'private', `<item id='3'>${entry('3')}</item>`, opts({ 'pubsub#no_such_field': 'x' }))).pubsub, 'precondition-not-met');
  });

  it('max_items=max as a precondition equals the service limit (7.1.5, config-node-max)', async () => {
    const opts = `<publish-options>${submitForm(PUBLISH_OPTIONS, { 'pubsub#max_items': 'max' })}</publish-options>`;
    await hamlet.ok(publish(hamlet, 'maxed', `<item id='1'>${entry('1')}</item>`, opts));
    await hamlet.ok(publish(hamlet, 'maxed', `<item id='2'>${entry('2')}</item>`, `<publish-options>${submitForm(PUBLISH_OPTIONS, { 'pubsub#max_items': String(s.server.config.pubsub.maxItems) })}</publish-options>`));
  });

  it('publish-options of another FORM_TYPE are bad-request', async () => {
    const res = await publish(hamlet, 'news', `<item>${entry('x')}</item>`, `<publish-options>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'open' })}</publish-options>`);
    assert.equal(errorOf(res).condition, 'bad-request');
  });

  it('a bare-JID subscription delivers the headline to every available resource (RFC 6121 8.5.2.1.1)', async () => {
    const second = await s.connect('bernardo', 'second');
    await bernardo.ok(bernardo.pubsub('set', `<subscribe node='news' jid='bernardo@localhost'/>`));
    await hamlet.ok(publish(hamlet, 'news', `<item id='all'>${entry('all')}</item>`));
    for (const c of [bernardo, second]) {
      const note = await c.event('news');
      assert.equal(note.attrs.to, 'bernardo@localhost');
    }
  });
});
