// The SQLite PubsubStore commits the item puts issued in one turn of the event loop together (the
// calendar feed of DESIGN.md section 3 publishes one item per user of a change at once); XEP-0060 7.1
// still holds per put: each resolves once stored, in the order issued, and a bad put fails alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { SqlitePubsubStore } from '../../../src/storage/sqlite/pubsub-store.js';

const S = 'pubsub.example.com';

function openStore(): { store: SqlitePubsubStore; close(): void } {
  const db = new SqliteDatabase(':memory:');
  return { store: new SqlitePubsubStore(db), close: () => db.close() };
}

const item = (node: string, id: string, payload: string | null = `<p id='${id}'/>`) => ({
  service: S,
  node,
  id,
  payload: payload as string,
  publisher: 'pubsub.example.com',
  published: 1,
});

describe('grouped item commits', () => {
  it('puts issued together are all stored and each node keeps them in the order issued', async () => {
    const { store, close } = openStore();
    try {
      const puts = await Promise.all([
        store.putItem(item('a', 'a1')),
        store.putItem(item('b', 'b1')),
        store.putItem(item('a', 'a2')),
        store.putItem(item('b', 'b2')),
        store.putItem(item('a', 'a3')),
      ]);
      assert.deepEqual(puts.map((p) => p.seq), [...puts.map((p) => p.seq)].sort((x, y) => x - y));
      const ids = async (node: string) => (await store.queryItems(S, node, { order: 'oldest-first' })).map((i) => i.id);
      assert.deepEqual(await ids('a'), ['a1', 'a2', 'a3']);
      assert.deepEqual(await ids('b'), ['b1', 'b2']);
    } finally {
      close();
    }
  });

  it('a put that fails rejects alone and the puts issued with it are stored', async () => {
    const { store, close } = openStore();
    try {
      const [first, bad, last] = await Promise.allSettled([
        store.putItem(item('a', 'a1')),
        store.putItem(item('a', 'a2', null)),
        store.putItem(item('b', 'b1')),
      ]);
      assert.equal(first.status, 'fulfilled');
      assert.equal(bad.status, 'rejected');
      assert.equal(last.status, 'fulfilled');
      assert.deepEqual((await store.getItems(S, 'a', ['a1', 'a2'])).map((i) => i.id), ['a1']);
      assert.deepEqual((await store.getItems(S, 'b', ['b1'])).map((i) => i.id), ['b1']);
    } finally {
      close();
    }
  });

  it('keepNewest evicts in the order the puts were issued, within one commit', async () => {
    const { store, close } = openStore();
    try {
      const puts = await Promise.all(['i1', 'i2', 'i3'].map((id) => store.putItem(item('a', id), 2)));
      assert.deepEqual(puts.map((p) => p.evicted), [[], [], ['i1']]);
      assert.equal(await store.countItems(S, 'a'), 2);
    } finally {
      close();
    }
  });

  it('a replaced id issued in the same commit reports replaced and keeps one row', async () => {
    const { store, close } = openStore();
    try {
      const puts = await Promise.all([store.putItem(item('a', 'same')), store.putItem(item('a', 'same', '<p v="2"/>'))]);
      assert.deepEqual(puts.map((p) => p.replaced), [false, true]);
      assert.equal((await store.getItems(S, 'a', ['same']))[0]?.payload, '<p v="2"/>');
    } finally {
      close();
    }
  });
});
