// Opens the XEP-0191 block list store on whichever backend the server opened (src/storage/open.ts).
// Kept beside open.ts rather than in its Stores until the block list joins them there.

import type { Storage } from './open.js';
import type { BlocklistStore } from './blocklist-store.js';
import type { PostgresDatabase } from './postgres/database.js';
import { SqliteBlocklistStore } from './sqlite/blocklist-store.js';
import { PostgresBlocklistStore } from './postgres/blocklist-store.js';

export async function openBlocklistStore(storage: Storage): Promise<BlocklistStore> {
  if (storage.sqlite) return new SqliteBlocklistStore(storage.sqlite);
  // openStorage spreads the PostgreSQL storage, database included, into what it returns.
  const postgres = (storage as Storage & { postgres?: PostgresDatabase }).postgres;
  if (!postgres) throw new Error(`block list: no database for storage backend ${storage.backend}`);
  return PostgresBlocklistStore.open(postgres);
}
