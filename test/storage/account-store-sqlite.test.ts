// The AccountStore contract on SQLite.
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteAccountStore } from '../../src/storage/sqlite/accounts.js';
import { scramHasher } from '../../src/stream/password-credentials.js';
import { describeAccountStore } from './account-store-suite.js';

describeAccountStore('sqlite', async () => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteAccountStore(database, scramHasher), close: async () => database.close() };
});
