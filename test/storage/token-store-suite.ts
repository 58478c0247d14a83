// The contract of every TokenStore (DESIGN.md section 3: one bearer token for REST and SASL OAUTHBEARER;
// section 8: only its hash at rest), run against SQLite and PostgreSQL alike. The store's clock is
// injected so expiry is tested without waiting.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenStore } from '../../src/storage/tokens.js';

export interface TokenFixture {
  store: TokenStore;
  close(): Promise<void>;
}

export function describeTokenStore(name: string, open: (now: () => Date) => Promise<TokenFixture>): void {
  describe(`TokenStore contract: ${name}`, () => {
    let clock: Date;
    let fixture: TokenFixture;
    let store: TokenStore;
    beforeEach(async () => {
      clock = new Date('2026-01-01T00:00:00Z');
      fixture = await open(() => clock);
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    it('an issued token verifies as its user', async () => {
      const issued = await store.issue('alice', { label: 'laptop' });
      assert.equal(issued.username, 'alice');
      assert.equal(issued.expiresAt, undefined);
      assert.ok(issued.token.length >= 32);
      assert.equal(await store.verify(issued.token), 'alice');
    });

    it('an unknown token does not verify', async () => {
      await store.issue('alice');
      assert.equal(await store.verify('not-a-token'), undefined);
    });

    it('every issued token and id is different', async () => {
      const a = await store.issue('alice');
      const b = await store.issue('alice');
      assert.notEqual(a.token, b.token);
      assert.notEqual(a.id, b.id);
      assert.equal(await store.verify(a.token), 'alice');
      assert.equal(await store.verify(b.token), 'alice');
    });

    it('a token with a lifetime stops verifying when it expires', async () => {
      const issued = await store.issue('alice', { ttlSeconds: 60 });
      assert.equal(issued.expiresAt?.toISOString(), '2026-01-01T00:01:00.000Z');
      clock = new Date('2026-01-01T00:00:59.999Z');
      assert.equal(await store.verify(issued.token), 'alice');
      clock = new Date('2026-01-01T00:01:00Z');
      assert.equal(await store.verify(issued.token), undefined);
    });

    it('a revoked token stops verifying and revoking it again reports false', async () => {
      const a = await store.issue('alice');
      const b = await store.issue('alice');
      assert.equal(await store.revoke(a.token), true);
      assert.equal(await store.revoke(a.token), false);
      assert.equal(await store.verify(a.token), undefined);
      assert.equal(await store.verify(b.token), 'alice');
    });

    it('revokeAll removes every token of one user and counts them', async () => {
      const a1 = await store.issue('alice');
      const a2 = await store.issue('alice', { ttlSeconds: 10 });
      const b = await store.issue('bob');
      assert.equal(await store.revokeAll('alice'), 2);
      assert.equal(await store.verify(a1.token), undefined);
      assert.equal(await store.verify(a2.token), undefined);
      assert.equal(await store.verify(b.token), 'bob');
      assert.equal(await store.revokeAll('alice'), 0);
    });
  });
}
