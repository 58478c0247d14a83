// The BlocklistStore contract on PostgreSQL (a private Debian server for this file, a schema per case).
import { PostgresBlocklistStore } from '../../src/storage/postgres/blocklist-store.js';
import { usePostgres } from '../support/postgres.js';
import { describeBlocklistStore } from './blocklist-store-suite.js';

const pg = usePostgres();

describeBlocklistStore('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresBlocklistStore.open(database), close: () => database.close() };
});
