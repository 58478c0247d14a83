// The contract of every OfflineStore (XEP-0160: messages kept for an account without an available
// resource, delivered in order and once), run against SQLite and PostgreSQL alike.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { OfflineStore } from '../../src/storage/offline-store.js';

export interface OfflineFixture {
  store: OfflineStore;
  close(): Promise<void>;
}

const msg = (n: number) => `<message to="alice@example.com"><body>${n}</body></message>`;

export function describeOfflineStore(name: string, open: () => Promise<OfflineFixture>): void {
  describe(`OfflineStore contract: ${name}`, () => {
    let fixture: OfflineFixture;
    let store: OfflineStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    it('stored messages are taken back oldest first, exactly as given', async () => {
      for (let i = 1; i <= 5; i++) assert.equal(await store.store('alice', msg(i), 100), true);
      const unicode = '<message><body>héllo ✓ &amp; 𝄞</body></message>';
      await store.store('alice', unicode, 100);
      assert.deepEqual(await store.takeAll('alice'), [msg(1), msg(2), msg(3), msg(4), msg(5), unicode]);
    });

    it('takeAll empties the store for that account only', async () => {
      await store.store('alice', msg(1), 100);
      await store.store('bob', msg(2), 100);
      await store.takeAll('alice');
      assert.deepEqual(await store.takeAll('alice'), []);
      assert.equal(await store.count('alice'), 0);
      assert.equal(await store.count('bob'), 1);
    });

    it('a full quota refuses the message and keeps the rest', async () => {
      assert.equal(await store.store('alice', msg(1), 2), true);
      assert.equal(await store.store('alice', msg(2), 2), true);
      assert.equal(await store.store('alice', msg(3), 2), false);
      assert.equal(await store.count('alice'), 2);
      assert.equal(await store.store('bob', msg(4), 2), true);
      await store.takeAll('alice');
      assert.equal(await store.store('alice', msg(5), 2), true);
    });

    it('concurrent stores never exceed the quota', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.store('alice', msg(i), 5)));
      assert.equal(results.filter(Boolean).length, 5);
      assert.equal(await store.count('alice'), 5);
    });

    it('concurrent takers receive each message once', async () => {
      for (let i = 0; i < 10; i++) await store.store('alice', msg(i), 100);
      const taken = await Promise.all([store.takeAll('alice'), store.takeAll('alice'), store.takeAll('alice')]);
      assert.deepEqual(taken.flat().sort(), Array.from({ length: 10 }, (_, i) => msg(i)).sort());
      assert.equal(taken.filter((t) => t.length > 0).length, 1);
    });
  });
}
