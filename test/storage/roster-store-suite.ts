// The contract of every RosterStore (RFC 6121 section 2: items and roster versioning; section 3: pending
// inbound subscription requests), run against SQLite and PostgreSQL alike.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterItem, RosterStore } from '../../src/storage/roster-store.js';

export interface RosterFixture {
  store: RosterStore;
  close(): Promise<void>;
}

function item(jid: string, extra: Partial<RosterItem> = {}): RosterItem {
  return { jid, subscription: 'none', ask: false, approved: false, groups: [], ...extra };
}

/** An absent name and an undefined one are the same item. */
function plain(value: RosterItem | undefined): unknown {
  return value && JSON.parse(JSON.stringify(value));
}

export function describeRosterStore(name: string, open: () => Promise<RosterFixture>): void {
  describe(`RosterStore contract: ${name}`, () => {
    let fixture: RosterFixture;
    let store: RosterStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    it('an empty roster has version 0 and no items', async () => {
      assert.deepEqual(await store.getRoster('alice'), { version: 0, items: [] });
      assert.equal(await store.getItem('alice', 'bob@example.com'), undefined);
    });

    it('an item is stored with every field and read back by jid', async () => {
      const full = item('bob@example.com', { name: 'Bob', subscription: 'both', ask: true, approved: true, groups: ['Friends', 'Work'] });
      await store.setItem('alice', full);
      assert.deepEqual(plain(await store.getItem('alice', 'bob@example.com')), full);
      const bare = item('carol@example.com');
      await store.setItem('alice', bare);
      assert.deepEqual(plain(await store.getItem('alice', 'carol@example.com')), bare);
      assert.equal((await store.getItem('alice', 'carol@example.com'))?.name, undefined);
    });

    it('each change takes the next roster version (2.6)', async () => {
      assert.equal(await store.setItem('alice', item('bob@example.com')), 1);
      assert.equal(await store.setItem('alice', item('carol@example.com')), 2);
      assert.equal(await store.setItem('alice', item('bob@example.com', { subscription: 'to' })), 3);
      assert.equal(await store.removeItem('alice', 'carol@example.com'), 4);
      assert.equal((await store.getRoster('alice')).version, 4);
    });

    it('removing an absent item keeps the version', async () => {
      await store.setItem('alice', item('bob@example.com'));
      assert.equal(await store.removeItem('alice', 'nobody@example.com'), 1);
      assert.equal((await store.getRoster('alice')).version, 1);
    });

    it('an updated item replaces the old one, name and groups included', async () => {
      await store.setItem('alice', item('bob@example.com', { name: 'Bob', groups: ['A'] }));
      await store.setItem('alice', item('bob@example.com', { subscription: 'from', groups: ['B', 'C'] }));
      assert.deepEqual(
        plain(await store.getItem('alice', 'bob@example.com')),
        item('bob@example.com', { subscription: 'from', groups: ['B', 'C'] }),
      );
      assert.equal((await store.getRoster('alice')).items.length, 1);
    });

    it('rosters and versions are per user, items ordered by jid', async () => {
      await store.setItem('alice', item('zoe@example.com'));
      await store.setItem('alice', item('bob@example.com'));
      await store.setItem('dave', item('bob@example.com'));
      const alice = await store.getRoster('alice');
      assert.deepEqual(alice.items.map((i) => i.jid), ['bob@example.com', 'zoe@example.com']);
      assert.equal(alice.version, 2);
      assert.equal((await store.getRoster('dave')).version, 1);
    });

    it('pending inbound requests are kept, replaced by sender and removed once (3.1.3)', async () => {
      await store.setPendingIn('alice', 'bob@example.com', '<presence type="subscribe"/>');
      await store.setPendingIn('alice', 'bob@example.com', '<presence type="subscribe"><status>hi</status></presence>');
      await store.setPendingIn('alice', 'carol@example.com', '<presence type="subscribe"/>');
      const pending = await store.getPendingIn('alice');
      assert.deepEqual(
        pending.sort((a, b) => a.from.localeCompare(b.from)),
        [
          { from: 'bob@example.com', stanza: '<presence type="subscribe"><status>hi</status></presence>' },
          { from: 'carol@example.com', stanza: '<presence type="subscribe"/>' },
        ],
      );
      assert.equal(await store.removePendingIn('alice', 'bob@example.com'), true);
      assert.equal(await store.removePendingIn('alice', 'bob@example.com'), false);
      assert.deepEqual(await store.getPendingIn('dave'), []);
    });

    it('removeUser deletes items, version and pending requests of that user only', async () => {
      await store.setItem('alice', item('bob@example.com'));
      await store.setPendingIn('alice', 'carol@example.com', '<presence/>');
      await store.setItem('dave', item('bob@example.com'));
      await store.removeUser('alice');
      assert.deepEqual(await store.getRoster('alice'), { version: 0, items: [] });
      assert.deepEqual(await store.getPendingIn('alice'), []);
      assert.equal((await store.getRoster('dave')).items.length, 1);
    });

    it('concurrent changes to one roster each get a distinct version', async () => {
      const versions = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setItem('alice', item(`c${i}@example.com`))),
      );
      assert.deepEqual([...versions].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await store.getRoster('alice')).items.length, 20);
    });
  });
}
