// The contract of every PubsubStore (XEP-0060 section 12.1 data model, XEP-0313 archive order), run
// against each implementation: memory and SQLite now, PostgreSQL later.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PubsubStore, NewPubsubItem } from '../../src/storage/pubsub-store.js';

export interface StoreFixture {
  store: PubsubStore;
  close(): Promise<void> | void;
}

const S = 'pubsub.example.com';

function node(name: string, service = S) {
  return { service, node: name, config: { max_items: 10, title: name }, created: 1000, creator: 'alice@example.com' };
}

function item(id: string, published = 2000, nodeName = 'n', payload = `<p>${id}</p>`): NewPubsubItem {
  return { service: S, node: nodeName, id, payload, publisher: 'alice@example.com', published };
}

export function describePubsubStore(name: string, open: () => Promise<StoreFixture> | StoreFixture): void {
  async function withStore(fn: (store: PubsubStore) => Promise<void>): Promise<void> {
    const fixture = await open();
    try {
      await fn(fixture.store);
    } finally {
      await fixture.close();
    }
  }

  describe(`PubsubStore contract: ${name}`, () => {
    it('a created node is read back with its config, and its creator is its owner', () =>
      withStore(async (store) => {
        assert.equal(await store.createNode(node('n'), 'alice@example.com'), true);
        const got = await store.getNode(S, 'n');
        assert.deepEqual(got, node('n'));
        assert.deepEqual(await store.listAffiliations(S, 'n'), [
          { service: S, node: 'n', jid: 'alice@example.com', affiliation: 'owner' },
        ]);
      }));

    it('creating an existing node reports false and changes nothing', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'alice@example.com');
        assert.equal(await store.createNode({ ...node('n'), config: { other: true } }, 'bob@example.com'), false);
        assert.deepEqual((await store.getNode(S, 'n'))?.config, node('n').config);
        assert.equal((await store.listAffiliations(S, 'n')).length, 1);
      }));

    it('nodes are separated by service', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.createNode(node('n', 'alice@example.com'), 'alice@example.com');
        await store.createNode(node('m'), 'a@x');
        assert.equal(await store.countNodes(S), 2);
        assert.equal(await store.countNodes('alice@example.com'), 1);
        assert.deepEqual((await store.listNodes(S)).map((n) => n.node).sort(), ['m', 'n']);
        assert.equal(await store.getNode('other', 'n'), undefined);
      }));

    it('a config update replaces the stored config', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.updateNodeConfig(S, 'n', { max_items: 3 });
        assert.deepEqual((await store.getNode(S, 'n'))?.config, { max_items: 3 });
      }));

    it('deleting a node removes its items, subscriptions and affiliations', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.putItem(item('1'));
        await store.putSubscription({ service: S, node: 'n', jid: 'b@x', subid: 's', state: 'subscribed', options: {} });
        assert.equal(await store.deleteNode(S, 'n'), true);
        assert.equal(await store.deleteNode(S, 'n'), false);
        assert.equal(await store.getNode(S, 'n'), undefined);
        assert.equal(await store.countItems(S, 'n'), 0);
        assert.deepEqual(await store.subscriptionsOf(S, 'b@x'), []);
        assert.deepEqual(await store.affiliationsOf(S, 'a@x'), []);
        await store.createNode(node('n'), 'c@x');
        assert.equal(await store.countItems(S, 'n'), 0);
      }));

    it('archive sequences strictly increase across nodes, and a republished id gets a new one', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.createNode(node('m'), 'a@x');
        const a = await store.putItem(item('1'));
        const b = await store.putItem(item('1', 2000, 'm'));
        const c = await store.putItem(item('1', 3000, 'n', '<p>new</p>'));
        assert.ok(a.seq < b.seq && b.seq < c.seq);
        assert.equal(a.replaced, false);
        assert.equal(c.replaced, true);
        const [got] = await store.getItems(S, 'n', ['1']);
        assert.deepEqual(got, { ...item('1', 3000, 'n', '<p>new</p>'), seq: c.seq });
        assert.equal(await store.countItems(S, 'n'), 1);
      }));

    it('a put with keepNewest evicts the oldest items beyond it, oldest first', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        for (const id of ['1', '2', '3']) await store.putItem(item(id));
        const r = await store.putItem(item('4'), 2);
        assert.deepEqual(r.evicted, ['1', '2']);
        assert.deepEqual(
          (await store.queryItems(S, 'n', { order: 'oldest-first' })).map((i) => i.id),
          ['3', '4'],
        );
        assert.deepEqual((await store.putItem(item('5'), 5)).evicted, []);
      }));

    it('queries order by sequence both ways, with offset, limit and seq bounds', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        const seqs: number[] = [];
        for (const id of ['a', 'b', 'c', 'd', 'e']) seqs.push((await store.putItem(item(id))).seq);
        const ids = async (q: Parameters<PubsubStore['queryItems']>[2]) =>
          (await store.queryItems(S, 'n', q)).map((i) => i.id);
        assert.deepEqual(await ids({ order: 'newest-first' }), ['e', 'd', 'c', 'b', 'a']);
        assert.deepEqual(await ids({ order: 'newest-first', limit: 2 }), ['e', 'd']);
        assert.deepEqual(await ids({ order: 'newest-first', offset: 1, limit: 2 }), ['d', 'c']);
        assert.deepEqual(await ids({ order: 'oldest-first', afterSeq: seqs[1] }), ['c', 'd', 'e']);
        assert.deepEqual(await ids({ order: 'newest-first', beforeSeq: seqs[3] }), ['c', 'b', 'a']);
        assert.equal(await store.countItems(S, 'n', { afterSeq: seqs[0], beforeSeq: seqs[4] }), 3);
      }));

    it('queries filter by publication time inclusively', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.putItem(item('a', 100));
        await store.putItem(item('b', 200));
        await store.putItem(item('c', 300));
        const got = await store.queryItems(S, 'n', { order: 'oldest-first', publishedFrom: 200, publishedTo: 300 });
        assert.deepEqual(got.map((i) => i.id), ['b', 'c']);
        assert.equal(await store.countItems(S, 'n', { publishedTo: 200 }), 2);
      }));

    it('getItems returns only the ids that exist', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.putItem(item('a'));
        assert.deepEqual((await store.getItems(S, 'n', ['a', 'zz', 'a'])).map((i) => i.id), ['a']);
      }));

    it('deleteItems reports which ids existed', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.putItem(item('a'));
        await store.putItem(item('b'));
        assert.deepEqual(await store.deleteItems(S, 'n', ['a', 'zz']), ['a']);
        assert.equal(await store.countItems(S, 'n'), 1);
      }));

    it('expired items are deleted by publication time', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.putItem(item('old', 100));
        await store.putItem(item('new', 500));
        assert.deepEqual(await store.deleteItemsPublishedBefore(S, 'n', 300), ['old']);
        assert.equal(await store.countItems(S, 'n'), 1);
      }));

    it('trimItems keeps the newest and purgeItems removes all', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        for (const id of ['1', '2', '3', '4']) await store.putItem(item(id));
        assert.deepEqual(await store.trimItems(S, 'n', 3), ['1']);
        assert.deepEqual(await store.trimItems(S, 'n', 3), []);
        assert.equal(await store.purgeItems(S, 'n'), 3);
        assert.equal(await store.countItems(S, 'n'), 0);
      }));

    it('subscriptions are upserted by (node, jid, subid) and found by subscriber bare JID', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.createNode(node('m'), 'a@x');
        const base = { service: S, node: 'n', options: { deliver: true } };
        await store.putSubscription({ ...base, jid: 'b@x', subid: '1', state: 'pending' });
        await store.putSubscription({ ...base, jid: 'b@x', subid: '1', state: 'subscribed' });
        await store.putSubscription({ ...base, jid: 'b@x/phone', subid: '2', state: 'subscribed' });
        await store.putSubscription({ ...base, node: 'm', jid: 'b@x', subid: '3', state: 'subscribed' });
        await store.putSubscription({ ...base, jid: 'bb@x', subid: '4', state: 'subscribed' });
        assert.equal((await store.listSubscriptions(S, 'n')).length, 3);
        const mine = await store.subscriptionsOf(S, 'b@x');
        assert.deepEqual(mine.map((s) => s.subid).sort(), ['1', '2', '3']);
        assert.equal(mine.find((s) => s.subid === '1')?.state, 'subscribed');
        assert.deepEqual(mine.find((s) => s.subid === '1')?.options, { deliver: true });
        assert.equal(await store.deleteSubscription(S, 'n', 'b@x', '1'), true);
        assert.equal(await store.deleteSubscription(S, 'n', 'b@x', '1'), false);
        assert.equal((await store.subscriptionsOf(S, 'b@x')).length, 2);
      }));

    it('affiliations are set, replaced, removed with none, and found by entity', () =>
      withStore(async (store) => {
        await store.createNode(node('n'), 'a@x');
        await store.createNode(node('m'), 'c@x');
        await store.setAffiliation(S, 'n', 'b@x', 'member');
        await store.setAffiliation(S, 'n', 'b@x', 'publisher');
        await store.setAffiliation(S, 'm', 'b@x', 'outcast');
        const mine = await store.affiliationsOf(S, 'b@x');
        assert.deepEqual(
          mine.map((a) => `${a.node}:${a.affiliation}`).sort(),
          ['m:outcast', 'n:publisher'],
        );
        await store.setAffiliation(S, 'n', 'b@x', 'none');
        assert.deepEqual((await store.listAffiliations(S, 'n')).map((a) => a.jid), ['a@x']);
      }));
  });
}
