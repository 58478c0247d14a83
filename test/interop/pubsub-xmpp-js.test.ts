// Interop: two @xmpp/client (xmpp.js) clients over STARTTLS drive pubsub.localhost through a node's whole
// life: create with configuration, configure, subscribe, publish, receive the notification, retrieve,
// retract with notify, delete, and a PEP publish received by a contact that asks with caps +notify.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startXmppJs } from '../support/xmpp-js-client.js';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const OWNER = 'http://jabber.org/protocol/pubsub#owner';
const EVENT = 'http://jabber.org/protocol/pubsub#event';
const SERVICE = 'pubsub.localhost';

function next(client: any, match: (stanza: any) => boolean, ms = 5000): Promise<any> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out waiting for a stanza')), ms);
    const onStanza = (stanza: any) => {
      if (!match(stanza)) return;
      clearTimeout(t);
      client.off('stanza', onStanza);
      resolve(stanza);
    };
    client.on('stanza', onStanza);
  });
}

const eventOf = (node: string, kind: string) => (s: any) =>
  s.is('message') && s.getChild('event', EVENT)?.getChildren(kind).some((c: any) => c.attrs.node === node);
const field = (name: string, value: string) => xml('field', { var: name }, xml('value', {}, value));
const form = (type: string, ...fields: any[]) =>
  xml('x', { xmlns: 'jabber:x:data', type: 'submit' }, field('FORM_TYPE', type), ...fields);

describe('interop: @xmpp/client and pubsub', () => {
  let server: TestServer;
  let alice: any;
  let bob: any;
  before(async () => {
    server = await startTestServer((c) => (c.requireTls = true));
    await server.addUser('alice');
    await server.addUser('bob');
    alice = await startXmppJs({ port: server.ports.c2s!, username: 'alice', resource: 'xmppjs' });
    bob = await startXmppJs({ port: server.ports.c2s!, username: 'bob', resource: 'xmppjs' });
    await alice.send(xml('presence'));
    await bob.send(xml('presence'));
  });
  after(async () => {
    await alice?.stop().catch(() => undefined);
    await bob?.stop().catch(() => undefined);
    await server.stop();
  });

  it('alice creates and configures a node, bob subscribes, receives a publish, retrieves it, sees the retraction and the deletion', async () => {
    const nodeConfig = 'http://jabber.org/protocol/pubsub#node_config';
    await alice.iqCaller.set(xml('pubsub', { xmlns: PUBSUB }, xml('create', { node: 'xmppjs' }), xml('configure', {}, form(nodeConfig, field('pubsub#title', 'xmpp.js')))), SERVICE);
    await alice.iqCaller.set(xml('pubsub', { xmlns: OWNER }, xml('configure', { node: 'xmppjs' }, form(nodeConfig, field('pubsub#max_items', '5')))), SERVICE);
    const config = await alice.iqCaller.get(xml('pubsub', { xmlns: OWNER }, xml('configure', { node: 'xmppjs' })), SERVICE);
    const values = Object.fromEntries(config.getChild('configure').getChild('x').getChildren('field').map((f: any) => [f.attrs.var, f.getChildText('value')]));
    assert.equal(values['pubsub#title'], 'xmpp.js');
    assert.equal(values['pubsub#max_items'], '5');

    const sub = await bob.iqCaller.set(xml('pubsub', { xmlns: PUBSUB }, xml('subscribe', { node: 'xmppjs', jid: 'bob@localhost/xmppjs' })), SERVICE);
    assert.equal(sub.getChild('subscription').attrs.subscription, 'subscribed');

    const notified = next(bob, eventOf('xmppjs', 'items'));
    const pub = await alice.iqCaller.set(
      xml('pubsub', { xmlns: PUBSUB }, xml('publish', { node: 'xmppjs' }, xml('item', {}, xml('entry', { xmlns: 'urn:example:xmppjs' }, 'hi bob')))),
      SERVICE,
    );
    const id = pub.getChild('publish').getChild('item').attrs.id;
    assert.ok(id);
    const note = await notified;
    const item = note.getChild('event', EVENT).getChild('items').getChild('item');
    assert.equal(item.attrs.id, id);
    assert.equal(item.getChild('entry', 'urn:example:xmppjs').text(), 'hi bob');

    const items = await bob.iqCaller.get(xml('pubsub', { xmlns: PUBSUB }, xml('items', { node: 'xmppjs' })), SERVICE);
    assert.deepEqual(items.getChild('items').getChildren('item').map((i: any) => i.attrs.id), [id]);

    const retracted = next(bob, eventOf('xmppjs', 'items'));
    await alice.iqCaller.set(xml('pubsub', { xmlns: PUBSUB }, xml('retract', { node: 'xmppjs', notify: 'true' }, xml('item', { id }))), SERVICE);
    assert.equal((await retracted).getChild('event', EVENT).getChild('items').getChild('retract').attrs.id, id);

    const deleted = next(bob, eventOf('xmppjs', 'delete'));
    await alice.iqCaller.set(xml('pubsub', { xmlns: OWNER }, xml('delete', { node: 'xmppjs' })), SERVICE);
    await deleted;
  });

  it("bob's caps ask for the tune node: he gets alice's last tune once his caps are known, then her new ones", async () => {
    for (const [user, contact] of [['alice', 'bob'], ['bob', 'alice']]) {
      await server.host.stores.roster.setItem(user!, { jid: `${contact}@localhost`, subscription: 'both', ask: false, approved: false, groups: [] });
    }
    const tune = 'http://jabber.org/protocol/tune';
    const publishTune = (title: string) =>
      alice.iqCaller.set(xml('pubsub', { xmlns: PUBSUB }, xml('publish', { node: tune }, xml('item', { id: 'current' }, xml('tune', { xmlns: tune }, xml('title', {}, title))))));
    await publishTune('Before');
    const { capsVerification } = await import('../../src/modules/disco/entity-caps.js');
    const features = ['http://jabber.org/protocol/disco#info', `${tune}+notify`];
    const identity = { category: 'client', type: 'bot', name: 'xmpp.js' };
    const ver = capsVerification([identity], features);
    bob.iqCallee.get('http://jabber.org/protocol/disco#info', 'query', () =>
      xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node: `urn:xmppjs#${ver}` }, xml('identity', identity), ...features.map((f) => xml('feature', { var: f }))),
    );
    // the server asks bob's client for node#ver, checks the hash, then sends the last tune (XEP-0163 4.3.4)
    const last = next(bob, eventOf(tune, 'items'));
    await bob.send(xml('presence', {}, xml('c', { xmlns: 'http://jabber.org/protocol/caps', hash: 'sha-1', node: 'urn:xmppjs', ver })));
    const first = await last;
    assert.equal(first.attrs.from, 'alice@localhost');
    assert.equal(first.getChild('event', EVENT).getChild('items').getChild('item').getChild('tune', tune).getChildText('title'), 'Before');
    const live = next(bob, eventOf(tune, 'items'));
    await publishTune('After');
    const note = await live;
    assert.equal(note.attrs.to, 'bob@localhost/xmppjs');
    assert.equal(note.getChild('event', EVENT).getChild('items').getChild('item').getChild('tune', tune).getChildText('title'), 'After');
  });
});
