// The CalendarStore contract (test/calendar/store-suite.ts) on PostgreSQL, a schema per case.
import { PostgresCalendarStore } from '../../src/storage/postgres/calendar-store.js';
import { usePostgres } from '../support/postgres.js';
import { calendarStoreSuite } from '../calendar/store-suite.js';

const pg = usePostgres();

calendarStoreSuite('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresCalendarStore.open(database), close: () => database.close() };
});
