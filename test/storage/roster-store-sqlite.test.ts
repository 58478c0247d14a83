// The RosterStore contract on SQLite.
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteRosterStore } from '../../src/storage/sqlite/roster-store.js';
import { describeRosterStore } from './roster-store-suite.js';

describeRosterStore('sqlite', async () => {
  const database = new SqliteDatabase(':memory:');
  return { store: new SqliteRosterStore(database), close: async () => database.close() };
});
