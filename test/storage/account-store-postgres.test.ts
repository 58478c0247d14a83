// The AccountStore contract on PostgreSQL (a private Debian server for this file, a schema per case).
import { PostgresAccountStore } from '../../src/storage/postgres/accounts.js';
import { scramHasher } from '../../src/stream/password-credentials.js';
import { usePostgres } from '../support/postgres.js';
import { describeAccountStore } from './account-store-suite.js';

const pg = usePostgres();

describeAccountStore('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresAccountStore.open(database, scramHasher), close: () => database.close() };
});
