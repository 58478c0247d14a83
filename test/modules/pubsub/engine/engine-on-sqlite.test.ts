// The engine over the SQLite store (XEP-0060 persistent-items; DESIGN.md section 7): what one engine
// wrote is what a fresh engine on the same database serves, node caches rebuilt from the store.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteDatabase } from '../../../../src/storage/sqlite/database.js';
import { SqlitePubsubStore } from '../../../../src/storage/sqlite/pubsub-store.js';
import { ALICE, BOB, OWNER, harness, nodeWith, payload, value } from './engine-fixture.js';

describe('pubsub engine on SQLite', () => {
  it('a restarted engine serves the same subscribers, items and eviction order', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      const store = new SqlitePubsubStore(db);
      const first = harness({ store });
      await nodeWith(first, 'n', { max_items: '2' });
      const sub = value(await first.engine.subscribe(ALICE, 'n', ALICE)).subscription;
      value(await first.engine.subscribe(BOB, 'n', BOB, { 'pubsub#deliver': '0' }));
      for (const id of ['a', 'b']) value(await first.engine.publish(OWNER, 'n', [{ id, payload: payload(id) }]));

      const second = harness({ store });
      value(await second.engine.publish(OWNER, 'n', [{ id: 'c', payload: payload('c') }]));
      const [n] = second.notifier.take('items');
      assert.deepEqual(n?.recipients, [{ jid: ALICE, subids: [sub.subid] }]);
      assert.deepEqual(second.notifier.take('retract').map((r) => r.retracted), [['a']]);
      assert.deepEqual(value(await second.engine.getItems(ALICE, 'n')).items.map((i) => i.id), ['c', 'b']);
      assert.equal(value(await second.engine.getSubscriptionOptions(BOB, 'n', BOB)).options.deliver, false);
    } finally {
      db.close();
    }
  });
});
