// The OfflineStore contract on SQLite.
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteOfflineStore } from '../../src/storage/sqlite/offline-store.js';
import { describeOfflineStore } from './offline-store-suite.js';

describeOfflineStore('sqlite', async () => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteOfflineStore(database), close: async () => database.close() };
});
