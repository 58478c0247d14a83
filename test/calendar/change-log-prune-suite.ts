// The change log retention every CalendarStore implements (storage/calendar-store.ts pruneChangeLog,
// storage/calendar-change-log-pruning.ts): entries committed before the cut-off go, tombstones included,
// in batches; a sync token older than what is kept is refused as expired (RFC 6578 section 3.8,
// DAV:valid-sync-token) and a newer one still gets the exact answer it got before. Run it with a factory:
//   changeLogPruneSuite('sqlite', async () => ({ store, close }))

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CalendarStore, WriteContext } from '../../src/storage/calendar-store.js';
import { SyncTokenExpiredError, ValidationError } from '../../src/calendar/model/errors.js';
import { parseEventCreate } from '../../src/calendar/model/event-input.js';
import { parseCalendarCreate } from '../../src/calendar/model/calendar-input.js';
import { isTombstone, type EventData } from '../../src/calendar/model/types.js';
import type { OpenedStore } from './store-suite.js';

const day = (n: number): Date => new Date(Date.UTC(2026, 10, n, 12, 0, 0));
const at = (actor: string, n: number): WriteContext => ({ actor, now: day(n) });
const PAGE = { limit: 1000, offset: 0 };

function eventData(title: string): EventData {
  return parseEventCreate({ calendar_id: 'x', title, start: { date_time: '2026-03-16T09:00:00', timezone: 'Europe/Paris' } }).data;
}

function ids(items: Array<object>): string[] {
  return items.map((i) => (isTombstone(i) ? `-${i.id}` : 'event' in i ? (i as { event: { id: string } }).event.id : (i as { id: string }).id));
}

async function expired(p: Promise<unknown>, oldest: number): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof SyncTokenExpiredError && err.field === 'sync_token' && err.oldest === oldest);
}

export function changeLogPruneSuite(name: string, open: () => Promise<OpenedStore>): void {
  describe(`CalendarStore change log pruning: ${name}`, () => {
    let opened: OpenedStore;
    let store: CalendarStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    /** Day 1: calendar (token 1); day 2: events A and B (2, 3); day 10: A moved (4); day 11: B deleted (5). */
    async function history() {
      const cal = (await store.createCalendar(at('alice', 1), parseCalendarCreate({ title: 'Work' }))).value.calendar.calendar.id;
      const a = (await store.createEvent(at('alice', 2), cal, eventData('A'))).value.event.id;
      const b = (await store.createEvent(at('alice', 2), cal, eventData('B'))).value.event.id;
      await store.updateEvent(at('alice', 10), a, (e) => ({ ...e, title: 'A moved' }), {});
      await store.deleteEvent(at('alice', 11), b, {});
      return { cal, a, b };
    }

    it('nothing is pruned while every entry is within the retention, and every token stays valid', async () => {
      await history();
      assert.deepEqual(await store.pruneChangeLog(day(1)), { prunedThrough: 0, deleted: 0 });
      assert.equal(await store.oldestSyncToken(), 0);
      assert.equal((await store.listEvents('alice', { ...PAGE, syncToken: 0 })).items.length, 2);
    });

    it('pruning removes only the entries committed before the cut-off', async () => {
      const { a, b } = await history();
      const result = await store.pruneChangeLog(day(5));
      // One entry per resource a write changed: the calendar, then each event with its subscription.
      assert.deepEqual(result, { prunedThrough: 3, deleted: 5 });
      assert.equal(await store.oldestSyncToken(), 3);
      assert.deepEqual(ids((await store.listEvents('alice', { ...PAGE, syncToken: 3 })).items), [a, `-${b}`]);
    });

    it('a token before the cut is expired on every list; at or after it, it is answered', async () => {
      await history();
      await store.pruneChangeLog(day(5));
      await expired(store.listCalendars('alice', { ...PAGE, syncToken: 2 }), 3);
      await expired(store.listEvents('alice', { ...PAGE, syncToken: 0 }), 3);
      await expired(store.listSubscriptions('alice', { ...PAGE, syncToken: 2 }), 3);
      assert.equal((await store.listCalendars('alice', { ...PAGE, syncToken: 3 })).syncToken, 5);
      assert.equal((await store.listEvents('alice', { ...PAGE, syncToken: 4 })).items.length, 1);
      await assert.rejects(store.listEvents('alice', { ...PAGE, syncToken: 6 }), ValidationError);
    });

    it('answers for tokens still kept are the same after pruning as before', async () => {
      await history();
      const before = [3, 4, 5].map((t) => store.listEvents('alice', { ...PAGE, syncToken: t }));
      const expected = (await Promise.all(before)).map((l) => ids(l.items));
      await store.pruneChangeLog(day(5));
      const after = await Promise.all([3, 4, 5].map((t) => store.listEvents('alice', { ...PAGE, syncToken: t })));
      assert.deepEqual(after.map((l) => ids(l.items)), expected);
    });

    it('a tombstone within the retention still syncs; one older than it is gone with its token', async () => {
      const { b } = await history();
      await store.pruneChangeLog(day(11));
      assert.equal(await store.oldestSyncToken(), 4);
      assert.deepEqual(ids((await store.listEvents('alice', { ...PAGE, syncToken: 4 })).items), [`-${b}`]);
      await store.pruneChangeLog(day(12));
      assert.equal(await store.oldestSyncToken(), 5);
      assert.deepEqual((await store.listEvents('alice', { ...PAGE, syncToken: 5 })).items, []);
    });

    it('a full list is untouched by pruning', async () => {
      const { a } = await history();
      await store.pruneChangeLog(day(30));
      const all = await store.listEvents('alice', PAGE);
      assert.deepEqual(ids(all.items), [a]);
      assert.equal(all.syncToken, 5);
      assert.equal((await store.listCalendars('alice', PAGE)).items.length, 1);
    });

    it('entries go in batches of the given size with a pause between', async () => {
      await history();
      let pauses = 0;
      const result = await store.pruneChangeLog(day(30), { batchSize: 2, pause: async () => void pauses++ });
      assert.deepEqual(result, { prunedThrough: 5, deleted: 8 });
      assert.equal(pauses, 4);
      assert.deepEqual(await store.pruneChangeLog(day(30)), { prunedThrough: 5, deleted: 0 });
    });

    it('a run cut short is finished by the next, and an earlier cut-off never lowers the oldest token', async () => {
      await history();
      const stop = new Error('stopped');
      await assert.rejects(
        store.pruneChangeLog(day(30), { batchSize: 2, pause: async () => Promise.reject(stop) }),
        (err: unknown) => err === stop,
      );
      await expired(store.listEvents('alice', { ...PAGE, syncToken: 4 }), 5);
      assert.deepEqual(await store.pruneChangeLog(day(1)), { prunedThrough: 5, deleted: 6 });
      assert.equal(await store.oldestSyncToken(), 5);
    });

    it('an entry with a clock earlier than its predecessor waits until they can go too', async () => {
      const cal = (await store.createCalendar(at('alice', 10), parseCalendarCreate({ title: 'Work' }))).value.calendar.calendar.id;
      await store.createEvent(at('alice', 1), cal, eventData('A'));
      assert.deepEqual(await store.pruneChangeLog(day(5)), { prunedThrough: 0, deleted: 0 });
      assert.deepEqual(await store.pruneChangeLog(day(20)), { prunedThrough: 2, deleted: 3 });
    });

    it('writes after pruning sync from the oldest token as usual', async () => {
      const { cal } = await history();
      await store.pruneChangeLog(day(30));
      const c = (await store.createEvent(at('alice', 31), cal, eventData('C'))).value.event.id;
      const list = await store.listEvents('alice', { ...PAGE, syncToken: await store.oldestSyncToken() });
      assert.deepEqual(ids(list.items), [c]);
      assert.equal(list.syncToken, 6);
    });
  });
}
