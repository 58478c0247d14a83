// The CalendarStore contract (test/calendar/store-suite.ts, change-log-prune-suite.ts) on PostgreSQL, a schema per case.
import { PostgresCalendarStore } from '../../src/storage/postgres/calendar-store.js';
import { usePostgres } from '../support/postgres.js';
import { calendarStoreSuite } from '../calendar/store-suite.js';
import { changeLogPruneSuite } from '../calendar/change-log-prune-suite.js';

const pg = usePostgres();

const openFresh = async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresCalendarStore.open(database), close: () => database.close() };
};
calendarStoreSuite('postgres', openFresh);
changeLogPruneSuite('postgres', openFresh);
