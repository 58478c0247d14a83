// The contract of every BlocklistStore (XEP-0191 section 3: block, unblock, unblock all, the list in
// blocking order, per account), run against SQLite and PostgreSQL alike.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { BlocklistStore } from '../../src/storage/blocklist-store.js';

export interface BlocklistFixture {
  store: BlocklistStore;
  close(): Promise<void>;
}

export function describeBlocklistStore(name: string, open: () => Promise<BlocklistFixture>): void {
  describe(`BlocklistStore contract: ${name}`, () => {
    let fixture: BlocklistFixture;
    let store: BlocklistStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    it('an account with nothing blocked has an empty list', async () => {
      assert.deepEqual(await store.list('alice'), []);
    });

    it('blocked JIDs are listed in blocking order, and block reports only the new ones', async () => {
      assert.deepEqual(await store.block('alice', ['romeo@example.net', 'iago@example.lit']), ['romeo@example.net', 'iago@example.lit']);
      assert.deepEqual(await store.block('alice', ['iago@example.lit', 'example.org', 'example.org']), ['example.org']);
      assert.deepEqual(await store.list('alice'), ['romeo@example.net', 'iago@example.lit', 'example.org']);
      assert.deepEqual(await store.list('bob'), []);
    });

    it('unblock removes the given JIDs and reports the ones that were blocked', async () => {
      await store.block('alice', ['a@x', 'b@x', 'c@x']);
      await store.block('bob', ['b@x']);
      assert.deepEqual(await store.unblock('alice', ['b@x', 'nobody@x']), ['b@x']);
      assert.deepEqual(await store.list('alice'), ['a@x', 'c@x']);
      assert.deepEqual(await store.list('bob'), ['b@x']);
    });

    it('unblockAll empties one account\'s list and returns what it held', async () => {
      await store.block('alice', ['a@x', 'b@x']);
      await store.block('bob', ['c@x']);
      assert.deepEqual(await store.unblockAll('alice'), ['a@x', 'b@x']);
      assert.deepEqual(await store.list('alice'), []);
      assert.deepEqual(await store.unblockAll('alice'), []);
      assert.deepEqual(await store.list('bob'), ['c@x']);
    });

    it('JIDs are kept exactly, non-ASCII included', async () => {
      await store.block('alice', ['jürgen@exämple.de/Café ✓']);
      assert.deepEqual(await store.list('alice'), ['jürgen@exämple.de/Café ✓']);
    });

    it('concurrent blocks of the same JID report it as new once', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => store.block('alice', ['romeo@example.net'])));
      assert.equal(results.flat().length, 1);
      assert.deepEqual(await store.list('alice'), ['romeo@example.net']);
    });
  });
}
