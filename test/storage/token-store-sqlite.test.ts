// The TokenStore contract on SQLite.
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteTokenStore } from '../../src/storage/sqlite/tokens.js';
import { describeTokenStore } from './token-store-suite.js';

describeTokenStore('sqlite', async (now) => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteTokenStore(database, now), close: async () => database.close() };
});
