// Opens every PostgreSQL store on one connection pool (DESIGN.md section 5, scale-out storage). Each
// store migrates its tables under the migration lock, so processes starting together are safe.

import type { CredentialHasher } from '../account-credentials.js';
import type { Stores } from '../open.js';
import { PostgresDatabase } from './database.js';
import { PostgresAccountStore } from './accounts.js';
import { PostgresTokenStore } from './tokens.js';
import { PostgresRosterStore } from './roster-store.js';
import { PostgresOfflineStore } from './offline-store.js';
import { PostgresPubsubStore } from './pubsub-store.js';
import { PostgresCalendarStore } from './calendar-store.js';
import { PostgresBlocklistStore } from './blocklist-store.js';

export interface PostgresStorage extends Stores {
  postgres: PostgresDatabase;
}

/** `url` is postgres_url: postgres://user:password@host:port/database[?pool_size=N&sslmode=...]. */
export async function openPostgresStorage(url: string, hasher: CredentialHasher): Promise<PostgresStorage> {
  let postgres: PostgresDatabase;
  try {
    postgres = await PostgresDatabase.connect({ url });
  } catch (err) {
    // Names the setting, never its value: the URL may hold a password.
    throw new Error(`postgres_url: cannot open the database: ${(err as Error).message}`, { cause: err });
  }
  try {
    return {
      postgres,
      accounts: await PostgresAccountStore.open(postgres, hasher),
      tokens: await PostgresTokenStore.open(postgres),
      roster: await PostgresRosterStore.open(postgres),
      offline: await PostgresOfflineStore.open(postgres),
      pubsub: await PostgresPubsubStore.open(postgres),
      calendar: await PostgresCalendarStore.open(postgres),
      blocklist: await PostgresBlocklistStore.open(postgres),
      close: () => postgres.close(),
    };
  } catch (err) {
    await postgres.close();
    throw err;
  }
}
