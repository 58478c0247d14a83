// DESIGN.md section 3: every committed change gets a token from one global, strictly increasing
// sequence. With several almanac processes on one PostgreSQL database, concurrent writers must never
// share a token, and no token may become visible after a larger one, or a client syncing in between
// would step past a change forever. Two pools on one schema stand in for two processes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresCalendarStore } from '../../src/storage/postgres/calendar-store.js';
import { parseCalendarCreate } from '../../src/calendar/model/calendar-input.js';
import { isTombstone } from '../../src/calendar/model/types.js';
import { usePostgres } from '../support/postgres.js';

const pg = usePostgres();

describe('PostgreSQL calendar sync tokens across processes', () => {
  it('concurrent writers in two processes take distinct, gapless tokens', async () => {
    const a = await pg.freshDatabase({ poolSize: 5 });
    const b = await pg.freshDatabase({ poolSize: 5, schema: a.schema });
    const [storeA, storeB] = await Promise.all([PostgresCalendarStore.open(a), PostgresCalendarStore.open(b)]);
    const writes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? storeA : storeB).createCalendar({ actor: 'alice', now: new Date() }, parseCalendarCreate({ title: `C${i}` })),
    );
    const tokens = (await Promise.all(writes)).map((c) => c.syncToken).sort((x, y) => x - y);
    assert.deepEqual(tokens, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.equal(await storeB.currentSyncToken(), 40);
  });

  it('a client syncing while both processes write misses no change', async () => {
    const a = await pg.freshDatabase({ poolSize: 5 });
    const b = await pg.freshDatabase({ poolSize: 5, schema: a.schema });
    const [storeA, storeB] = await Promise.all([PostgresCalendarStore.open(a), PostgresCalendarStore.open(b)]);
    const created = new Set<string>();
    let writing = true;
    const writers = [storeA, storeB].map(async (store) => {
      for (let i = 0; i < 25; i++) {
        const c = await store.createCalendar({ actor: 'alice', now: new Date() }, parseCalendarCreate({ title: `C${i}` }));
        created.add(c.value.calendar.calendar.id);
      }
    });
    const done = Promise.all(writers).finally(() => (writing = false));
    const seen = new Set<string>();
    let token = 0;
    // Incremental sync as a client does it: each answer's token is the starting point of the next call.
    while (writing || token < (await storeA.currentSyncToken())) {
      const list = await storeA.listCalendars('alice', { syncToken: token, limit: 1000, offset: 0 });
      for (const item of list.items) if (!isTombstone(item)) seen.add(item.calendar.calendar.id);
      token = list.syncToken;
    }
    await done;
    assert.equal(created.size, 50);
    assert.deepEqual([...created].filter((id) => !seen.has(id)), []);
  });
});
