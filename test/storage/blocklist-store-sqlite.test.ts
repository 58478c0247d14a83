// The BlocklistStore contract on SQLite.
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteBlocklistStore } from '../../src/storage/sqlite/blocklist-store.js';
import { describeBlocklistStore } from './blocklist-store-suite.js';

describeBlocklistStore('sqlite', async () => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteBlocklistStore(database), close: async () => database.close() };
});
