// Opens every store of the configured backend (DESIGN.md section 5: SQLite in the data directory
// by default). The server and the CLI's user and token commands share this.

import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { AccountStore } from './accounts.js';
import type { TokenStore } from './tokens.js';
import type { RosterStore } from './roster-store.js';
import type { OfflineStore } from './offline-store.js';
import { SqliteDatabase } from './sqlite/database.js';
import { SqliteAccountStore, type CredentialHasher } from './sqlite/accounts.js';
import { SqliteTokenStore } from './sqlite/tokens.js';
import { SqliteRosterStore } from './sqlite/roster-store.js';
import { SqliteOfflineStore } from './sqlite/offline-store.js';

export interface Storage {
  sqlite: SqliteDatabase;
  accounts: AccountStore;
  tokens: TokenStore;
  roster: RosterStore;
  offline: OfflineStore;
  close(): Promise<void>;
}

export async function openStorage(config: Pick<Config, 'dataDir' | 'storage'>, hasher: CredentialHasher): Promise<Storage> {
  if (config.storage !== 'sqlite') {
    throw new Error(`storage: "${config.storage}" is not available yet; use sqlite`);
  }
  const sqlite = new SqliteDatabase(join(config.dataDir, 'almanac.db'));
  return {
    sqlite,
    accounts: new SqliteAccountStore(sqlite, hasher),
    tokens: new SqliteTokenStore(sqlite),
    roster: new SqliteRosterStore(sqlite),
    offline: new SqliteOfflineStore(sqlite),
    close: async () => sqlite.close(),
  };
}
