// The CalendarStore contract (store-suite.ts, change-log-prune-suite.ts) on SQLite, plus what only SQLite has: a reopened file keeps
// its rows and its sync sequence.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteCalendarStore } from '../../src/storage/sqlite/calendar-store.js';
import { parseCalendarCreate } from '../../src/calendar/model/calendar-input.js';
import { calendarStoreSuite } from './store-suite.js';
import { changeLogPruneSuite } from './change-log-prune-suite.js';

const openInMemory = async () => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteCalendarStore(database), close: async () => database.close() };
};
calendarStoreSuite('sqlite', openInMemory);
changeLogPruneSuite('sqlite', openInMemory);

describe('SQLite calendar store on disk', () => {
  it('a reopened database continues the sync sequence and keeps the change log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-calendar-'));
    try {
      const path = join(dir, 'db.sqlite');
      let database = new SqliteDatabase(path);
      let store = new SqliteCalendarStore(database);
      await store.createCalendar({ actor: 'alice', now: new Date() }, parseCalendarCreate({ title: 'A' }));
      database.close();
      database = new SqliteDatabase(path);
      store = new SqliteCalendarStore(database);
      const next = await store.createCalendar({ actor: 'alice', now: new Date() }, parseCalendarCreate({ title: 'B' }));
      assert.equal(next.syncToken, 2);
      const list = await store.listCalendars('alice', { syncToken: 0, limit: 10, offset: 0 });
      assert.equal(list.items.length, 2);
      database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
