// The engine's change listener (engine-context.ts EngineChangeListener; docs/CLUSTER.md "Pubsub caches"):
// after each operation whose writes changed nodes (XEP-0060 sections 6-8, 12.4 temporary subscriptions,
// 16.4.4 purge_offline, item_expire), the listener is told exactly which nodes; reads and refused writes
// tell it nothing; the write resolves only after the listener's promise. forgetNode/forgetAllNodes make
// an engine read a node again after another engine on the same store changed it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryPubsubStore } from '../../../../src/storage/memory/pubsub-store.js';
import { PubsubEngine } from '../../../../src/modules/pubsub/engine/engine.js';
import {
  ALICE,
  ALICE_BARE,
  BOB,
  FakePresence,
  FakeRoster,
  harness,
  nodeWith,
  OWNER,
  payload,
  RecordingNotifier,
  SERVICE,
  value,
  type Harness,
} from './engine-fixture.js';

/** A harness whose engine reports to a listener that records each call's node list. */
function watched(init: Parameters<typeof harness>[0] = {}): Harness & { reports: string[][]; take(): string[][] } {
  const h = harness(init);
  const reports: string[][] = [];
  h.engine.reportChangesTo({
    changed(service, nodes) {
      assert.equal(service, h.engine.service);
      reports.push([...nodes]);
    },
  });
  return { ...h, reports, take: () => reports.splice(0) };
}

const item = (id: string) => [{ id, payload: payload(id) }];

describe('the engine reports the nodes each write changed', () => {
  it('node creation, including an instant node, reports the created node', async () => {
    const h = watched();
    value(await h.engine.createNode(OWNER, 'n'));
    const instant = value(await h.engine.createNode(OWNER, undefined)).node;
    assert.deepEqual(h.take(), [['n'], [instant]]);
  });

  it('publish and retract report their node; a publish that creates the node reports it once', async () => {
    const h = watched();
    value(await h.engine.publish(OWNER, 'auto', item('a')));
    value(await h.engine.publish(OWNER, 'auto', item('b')));
    value(await h.engine.retract(OWNER, 'auto', ['a']));
    assert.deepEqual(h.take(), [['auto'], ['auto'], ['auto']]);
  });

  it('subscribe, subscription options and unsubscribe report their node', async () => {
    const h = watched();
    await nodeWith(h, 'n');
    h.take();
    const sub = value(await h.engine.subscribe(ALICE, 'n', ALICE)).subscription;
    value(await h.engine.setSubscriptionOptions(ALICE, 'n', ALICE, sub.subid, { 'pubsub#deliver': '0' }));
    value(await h.engine.unsubscribe(ALICE, 'n', ALICE, sub.subid));
    assert.deepEqual(h.take(), [['n'], ['n'], ['n']]);
  });

  it('owner writes (configure, affiliations, subscriptions, purge, delete) report their node', async () => {
    const h = watched();
    await nodeWith(h, 'n');
    value(await h.engine.publish(OWNER, 'n', item('a')));
    h.take();
    value(await h.engine.configureNode(OWNER, 'n', { access_model: 'whitelist' }));
    value(await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: ALICE_BARE, affiliation: 'member' }]));
    value(await h.engine.setNodeSubscriptions(OWNER, 'n', [{ jid: BOB, subscription: 'subscribed' }]));
    value(await h.engine.purgeNode(OWNER, 'n'));
    value(await h.engine.deleteNode(OWNER, 'n'));
    assert.deepEqual(h.take(), [['n'], ['n'], ['n'], ['n'], ['n']]);
  });

  it('reads report nothing', async () => {
    const h = watched();
    await nodeWith(h, 'n');
    value(await h.engine.publish(OWNER, 'n', item('a')));
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    h.take();
    value(await h.engine.getItems(ALICE, 'n'));
    value(await h.engine.getNodeConfig(OWNER, 'n'));
    value(await h.engine.getNodeMetadata(ALICE, 'n'));
    value(await h.engine.listNodes(ALICE));
    value(await h.engine.getSubscriptions(ALICE));
    value(await h.engine.getAffiliations(OWNER));
    value(await h.engine.getNodeSubscriptions(OWNER, 'n'));
    value(await h.engine.getNodeAffiliations(OWNER, 'n'));
    value(await h.engine.queryArchive(OWNER, 'n'));
    await h.engine.lastItemsOnPresence(ALICE);
    assert.deepEqual(h.take(), []);
  });

  it('refused writes report nothing', async () => {
    const h = watched();
    await nodeWith(h, 'n', { access_model: 'whitelist' });
    h.take();
    assert.equal((await h.engine.subscribe(ALICE, 'n', ALICE)).ok, false);
    assert.equal((await h.engine.configureNode(ALICE, 'n', { title: 'mine' })).ok, false);
    assert.equal((await h.engine.createNode(OWNER, 'n')).ok, false);
    assert.equal((await h.engine.retract(OWNER, 'n', ['missing'])).ok, false);
    assert.equal((await h.engine.deleteNode(OWNER, 'missing')).ok, false);
    assert.deepEqual(h.take(), []);
  });
});

describe('presence and time report only the nodes they changed', () => {
  it('an unavailable resource reports only the nodes where its temporary subscription ended', async () => {
    const h = watched();
    await nodeWith(h, 'temporary');
    await nodeWith(h, 'lasting');
    h.presence.come(ALICE);
    value(await h.engine.subscribe(ALICE, 'temporary', ALICE, { 'pubsub#expire': 'presence' }));
    value(await h.engine.subscribe(ALICE, 'lasting', ALICE));
    h.take();
    h.presence.go(ALICE);
    await h.engine.entityUnavailable(ALICE);
    assert.deepEqual(h.take(), [['temporary']]);
  });

  it('an unavailable resource with nothing temporary and nothing to purge reports nothing', async () => {
    const h = watched();
    await nodeWith(h, 'n');
    value(await h.engine.publish(OWNER, 'n', item('a')));
    h.presence.come(ALICE);
    value(await h.engine.subscribe(ALICE, 'n', ALICE));
    h.take();
    h.presence.go(ALICE);
    await h.engine.entityUnavailable(ALICE);
    await h.engine.entityUnavailable(OWNER);
    assert.deepEqual(h.take(), []);
  });

  it('the publisher going offline reports the purge_offline nodes it purged', async () => {
    const h = watched();
    await nodeWith(h, 'purged', { purge_offline: true });
    await nodeWith(h, 'kept');
    await nodeWith(h, 'empty', { purge_offline: true });
    h.presence.come(OWNER);
    value(await h.engine.publish(OWNER, 'purged', item('a')));
    value(await h.engine.publish(OWNER, 'kept', item('a')));
    h.take();
    h.presence.go(OWNER);
    await h.engine.entityUnavailable(OWNER);
    assert.deepEqual(h.take(), [['purged']]);
  });

  it('an expiry sweep reports the nodes it removed items from, and nothing when none expired', async () => {
    const h = watched();
    await nodeWith(h, 'expiring', { item_expire: '60' });
    await nodeWith(h, 'other', { item_expire: '60' });
    value(await h.engine.publish(OWNER, 'expiring', item('old')));
    h.take();
    assert.equal(await h.engine.expireItems(), 0);
    assert.deepEqual(h.take(), []);
    h.advance(61_000);
    value(await h.engine.publish(OWNER, 'other', item('new')));
    h.take();
    assert.equal(await h.engine.expireItems(), 1);
    assert.deepEqual(h.take(), [['expiring']]);
  });
});

describe('a write settles after the listener', () => {
  it('the write resolves only after the listener\'s promise resolves', async () => {
    const h = harness();
    let release!: () => void;
    const told = new Promise<void>((resolve) => (release = resolve));
    let listenerDone = false;
    h.engine.reportChangesTo({
      async changed() {
        await told;
        listenerDone = true;
      },
    });
    const writing = h.engine.createNode(OWNER, 'n');
    // The write's own work finishes long before the listener is released; it must still be pending.
    const first = await Promise.race([writing.then(() => 'write'), new Promise((r) => setImmediate(() => setImmediate(() => r('pending'))))]);
    assert.equal(first, 'pending');
    release();
    value(await writing);
    assert.equal(listenerDone, true);
  });

  it('a listener that fails does not turn a committed write into a failure', async () => {
    const h = harness();
    h.engine.reportChangesTo({
      changed() {
        throw new Error('bus gone');
      },
    });
    value(await h.engine.createNode(OWNER, 'n'));
    assert.equal(value(await h.engine.getNodeConfig(OWNER, 'n')).access_model, 'open');
  });

  it('a listener given at construction (EngineDeps.changes) is told too', async () => {
    const reports: string[][] = [];
    const engine = new PubsubEngine({
      service: SERVICE,
      store: new MemoryPubsubStore(),
      access: new FakeRoster(),
      presence: new FakePresence(),
      notifier: new RecordingNotifier(),
      changes: { changed: (_service, nodes) => void reports.push([...nodes]) },
    });
    value(await engine.createNode(OWNER, 'n'));
    assert.deepEqual(reports, [['n']]);
  });
});

describe('forgetting cached nodes', () => {
  it('after forgetNode, an engine sees what another engine of the same service wrote to the store', async () => {
    const store = new MemoryPubsubStore();
    const here = harness({ store });
    const there = harness({ store });
    await nodeWith(here, 'n');
    assert.equal(value(await there.engine.getNodeConfig(OWNER, 'n')).access_model, 'open');
    value(await here.engine.configureNode(OWNER, 'n', { access_model: 'whitelist' }));
    // Still the image cached before the change: why the cluster announces changes.
    assert.equal(value(await there.engine.getNodeConfig(OWNER, 'n')).access_model, 'open');
    there.engine.forgetNode('n');
    assert.equal(value(await there.engine.getNodeConfig(OWNER, 'n')).access_model, 'whitelist');
  });

  it('after forgetAllNodes, every node is read again', async () => {
    const store = new MemoryPubsubStore();
    const here = harness({ store });
    const there = harness({ store });
    await nodeWith(here, 'a');
    await nodeWith(here, 'b');
    value(await there.engine.subscribe(ALICE, 'a', ALICE));
    value(await there.engine.subscribe(ALICE, 'b', ALICE));
    value(await here.engine.subscribe(BOB, 'a', BOB));
    value(await here.engine.subscribe(BOB, 'b', BOB));
    there.engine.forgetAllNodes();
    for (const node of ['a', 'b']) {
      assert.deepEqual(value(await there.engine.getNodeSubscriptions(OWNER, node)).map((s) => s.jid).sort(), [ALICE, BOB].sort());
    }
  });
});
