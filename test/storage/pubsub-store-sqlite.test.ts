// Runs the PubsubStore contract (XEP-0060 section 12.1 data model) against the SQLite store, and checks
// that what it stores survives reopening the database file.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqlitePubsubStore } from '../../src/storage/sqlite/pubsub-store.js';
import { describePubsubStore } from './pubsub-store-suite.js';

describePubsubStore('sqlite', () => {
  const db = new SqliteDatabase(':memory:');
  return { store: new SqlitePubsubStore(db), close: () => db.close() };
});

it('items, subscriptions and affiliations persist across reopening the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-pubsub-'));
  try {
    const path = join(dir, 'db.sqlite');
    const first = new SqliteDatabase(path);
    const store = new SqlitePubsubStore(first);
    const S = 'pubsub.example.com';
    await store.createNode({ service: S, node: 'n', config: { a: 1 }, created: 5, creator: 'a@x' }, 'a@x');
    const put = await store.putItem({ service: S, node: 'n', id: 'i', payload: '<x/>', publisher: 'a@x', published: 9 });
    await store.putSubscription({ service: S, node: 'n', jid: 'b@x/r', subid: 's', state: 'subscribed', options: {} });
    first.close();

    const second = new SqliteDatabase(path);
    const reopened = new SqlitePubsubStore(second);
    assert.deepEqual((await reopened.getNode(S, 'n'))?.config, { a: 1 });
    assert.deepEqual(await reopened.getItems(S, 'n', ['i']), [
      { service: S, node: 'n', id: 'i', payload: '<x/>', publisher: 'a@x', published: 9, seq: put.seq },
    ]);
    assert.equal((await reopened.subscriptionsOf(S, 'b@x')).length, 1);
    assert.equal((await reopened.affiliationsOf(S, 'a@x'))[0]?.affiliation, 'owner');
    const next = await reopened.putItem({ service: S, node: 'n', id: 'j', payload: '', publisher: 'a@x', published: 10 });
    assert.ok(next.seq > put.seq);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
