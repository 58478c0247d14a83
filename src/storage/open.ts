// Opens every store of the configured backend (DESIGN.md section 5): SQLite in the data directory by
// default, or PostgreSQL at postgres_url for several processes sharing one database. Each backend
// migrates its own tables on open. The server and the CLI's user and token commands share this.

import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { AccountStore } from './accounts.js';
import type { TokenStore } from './tokens.js';
import type { RosterStore } from './roster-store.js';
import type { OfflineStore } from './offline-store.js';
import type { PubsubStore } from './pubsub-store.js';
import type { CalendarStore } from './calendar-store.js';
import type { BlocklistStore } from './blocklist-store.js';
import { SqliteDatabase } from './sqlite/database.js';
import type { CredentialHasher } from './account-credentials.js';
import { SqliteAccountStore } from './sqlite/accounts.js';
import { SqliteTokenStore } from './sqlite/tokens.js';
import { SqliteRosterStore } from './sqlite/roster-store.js';
import { SqliteOfflineStore } from './sqlite/offline-store.js';
import { SqlitePubsubStore } from './sqlite/pubsub-store.js';
import { SqliteCalendarStore } from './sqlite/calendar-store.js';
import { SqliteBlocklistStore } from './sqlite/blocklist-store.js';
import { openPostgresStorage } from './postgres/open.js';

/** The stores every backend opens, as their backend-independent interfaces. */
export interface Stores {
  accounts: AccountStore;
  tokens: TokenStore;
  roster: RosterStore;
  offline: OfflineStore;
  pubsub: PubsubStore;
  calendar: CalendarStore;
  /** XEP-0191 block lists. */
  blocklist: BlocklistStore;
  close(): Promise<void>;
}

export interface Storage extends Stores {
  backend: 'sqlite' | 'postgres';
  /** The SQLite database, only with the sqlite backend; use the stores, which exist for both. */
  sqlite?: SqliteDatabase;
}

export async function openStorage(
  config: Pick<Config, 'dataDir' | 'storage'> & { postgresUrl?: string },
  hasher: CredentialHasher,
): Promise<Storage> {
  if (config.storage === 'postgres') {
    if (!config.postgresUrl) throw new Error('postgres_url: required when storage is postgres');
    return { backend: 'postgres', ...(await openPostgresStorage(config.postgresUrl, hasher)) };
  }
  const sqlite = new SqliteDatabase(join(config.dataDir, 'almanac.db'));
  return {
    backend: 'sqlite',
    sqlite,
    accounts: new SqliteAccountStore(sqlite, hasher),
    tokens: new SqliteTokenStore(sqlite),
    roster: new SqliteRosterStore(sqlite),
    offline: new SqliteOfflineStore(sqlite),
    pubsub: new SqlitePubsubStore(sqlite),
    calendar: new SqliteCalendarStore(sqlite),
    blocklist: new SqliteBlocklistStore(sqlite),
    close: async () => sqlite.close(),
  };
}
