// The TokenStore contract on PostgreSQL (a private Debian server for this file, a schema per case).
import { PostgresTokenStore } from '../../src/storage/postgres/tokens.js';
import { usePostgres } from '../support/postgres.js';
import { describeTokenStore } from './token-store-suite.js';

const pg = usePostgres();

describeTokenStore('postgres', async (now) => {
  const database = await pg.freshDatabase();
  return { store: await PostgresTokenStore.open(database, now), close: () => database.close() };
});
