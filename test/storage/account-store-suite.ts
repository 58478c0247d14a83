// The contract of every AccountStore (RFC 6120 section 6 SASL credentials; DESIGN.md section 8: SCRAM
// keys at rest, never passwords), run against SQLite and PostgreSQL alike.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { AccountExistsError, type AccountStore } from '../../src/storage/accounts.js';

export interface AccountFixture {
  store: AccountStore;
  close(): Promise<void>;
}

export function describeAccountStore(name: string, open: () => Promise<AccountFixture>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let fixture: AccountFixture;
    let store: AccountStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    it('a created account exists and its password verifies', async () => {
      await store.create('alice', 'wonderland');
      assert.equal(await store.exists('alice'), true);
      assert.equal(await store.verifyPassword('alice', 'wonderland'), true);
      assert.equal(await store.verifyPassword('alice', 'Wonderland'), false);
    });

    it('an unknown account neither exists nor verifies nor has credentials', async () => {
      assert.equal(await store.exists('nobody'), false);
      assert.equal(await store.verifyPassword('nobody', 'x'), false);
      assert.equal(await store.getScramCredentials('nobody', 'sha-256'), undefined);
    });

    it('creating a taken name throws AccountExistsError and keeps the first password', async () => {
      await store.create('alice', 'first');
      await assert.rejects(store.create('alice', 'second'), (err: unknown) => err instanceof AccountExistsError && err.username === 'alice');
      assert.equal(await store.verifyPassword('alice', 'first'), true);
    });

    it('SCRAM credentials are kept per hash and are never the password', async () => {
      await store.create('alice', 'wonderland');
      const sha1 = await store.getScramCredentials('alice', 'sha-1');
      const sha256 = await store.getScramCredentials('alice', 'sha-256');
      assert.ok(sha1 && sha256);
      assert.equal(sha1.storedKey.length, 20);
      assert.equal(sha256.storedKey.length, 32);
      assert.equal(sha256.serverKey.length, 32);
      assert.ok(sha256.iterations >= 4096);
      assert.ok(sha256.salt.length > 0);
      for (const key of [sha1.storedKey, sha256.storedKey, sha256.serverKey]) {
        assert.equal(key.includes(Buffer.from('wonderland')), false);
      }
    });

    it('setPassword replaces the credentials and reports a missing account', async () => {
      await store.create('alice', 'old');
      const before = await store.getScramCredentials('alice', 'sha-256');
      assert.equal(await store.setPassword('alice', 'new'), true);
      assert.equal(await store.verifyPassword('alice', 'old'), false);
      assert.equal(await store.verifyPassword('alice', 'new'), true);
      assert.notDeepEqual(await store.getScramCredentials('alice', 'sha-256'), before);
      assert.equal(await store.setPassword('nobody', 'x'), false);
      assert.equal(await store.exists('nobody'), false);
    });

    it('remove deletes the account once', async () => {
      await store.create('alice', 'x');
      assert.equal(await store.remove('alice'), true);
      assert.equal(await store.remove('alice'), false);
      assert.equal(await store.exists('alice'), false);
      await store.create('alice', 'y');
      assert.equal(await store.verifyPassword('alice', 'y'), true);
    });

    it('list returns every username in byte order', async () => {
      for (const name of ['bob', 'alice', 'Zed', 'émile']) await store.create(name, 'x');
      assert.deepEqual(await store.list(), ['Zed', 'alice', 'bob', 'émile']);
    });
  });
}
