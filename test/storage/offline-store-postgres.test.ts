// The OfflineStore contract on PostgreSQL (a private Debian server for this file, a schema per case).
import { PostgresOfflineStore } from '../../src/storage/postgres/offline-store.js';
import { usePostgres } from '../support/postgres.js';
import { describeOfflineStore } from './offline-store-suite.js';

const pg = usePostgres();

describeOfflineStore('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresOfflineStore.open(database), close: () => database.close() };
});
