// The RosterStore contract on PostgreSQL (a private Debian server for this file, a schema per case).
import { PostgresRosterStore } from '../../src/storage/postgres/roster-store.js';
import { usePostgres } from '../support/postgres.js';
import { describeRosterStore } from './roster-store-suite.js';

const pg = usePostgres();

describeRosterStore('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresRosterStore.open(database), close: () => database.close() };
});
