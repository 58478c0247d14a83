// The PubsubStore contract (XEP-0060 section 12.1 data model) on PostgreSQL, a schema per case.
import { PostgresPubsubStore } from '../../src/storage/postgres/pubsub-store.js';
import { usePostgres } from '../support/postgres.js';
import { describePubsubStore } from './pubsub-store-suite.js';

const pg = usePostgres();

describePubsubStore('postgres', async () => {
  const database = await pg.freshDatabase();
  return { store: await PostgresPubsubStore.open(database), close: () => database.close() };
});
