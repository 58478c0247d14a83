// RFC 6121 rosters on PostgreSQL: one row per item, a version counter per user (section 2.6 roster
// versioning) bumped in the same transaction as the item it versions, and the pending inbound
// subscription requests (section 3.1.3). The counter row is locked by its upsert, so concurrent writers
// in several processes still hand out each version once.

import type { Roster, RosterItem, RosterStore, Subscription } from '../roster-store.js';
import type { PostgresDatabase, Sql } from './database.js';

const MIGRATIONS = [
  `CREATE TABLE roster_items (
     username TEXT NOT NULL,
     jid TEXT NOT NULL,
     name TEXT,
     subscription TEXT NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),
     ask BOOLEAN NOT NULL,
     approved BOOLEAN NOT NULL,
     groups TEXT[] NOT NULL,
     PRIMARY KEY (username, jid)
   );
   CREATE TABLE roster_versions (username TEXT PRIMARY KEY, version BIGINT NOT NULL);
   CREATE TABLE roster_pending_in (
     username TEXT NOT NULL,
     from_jid TEXT NOT NULL,
     stanza TEXT NOT NULL,
     PRIMARY KEY (username, from_jid)
   );`,
];

interface ItemRow {
  jid: string;
  name: string | null;
  subscription: Subscription;
  ask: boolean;
  approved: boolean;
  groups: string[];
}

const ITEM_COLUMNS = 'jid, name, subscription, ask, approved, groups';

function toItem(row: ItemRow): RosterItem {
  return {
    jid: row.jid,
    name: row.name ?? undefined,
    subscription: row.subscription,
    ask: row.ask,
    approved: row.approved,
    groups: row.groups,
  };
}

async function version(sql: Sql, user: string): Promise<number> {
  return (await sql.one<{ version: number }>('SELECT version FROM roster_versions WHERE username = $1', [user]))?.version ?? 0;
}

async function bump(sql: Sql, user: string): Promise<number> {
  const row = await sql.one<{ version: number }>(
    `INSERT INTO roster_versions (username, version) VALUES ($1, 1)
     ON CONFLICT (username) DO UPDATE SET version = roster_versions.version + 1 RETURNING version`,
    [user],
  );
  return row!.version;
}

export class PostgresRosterStore implements RosterStore {
  private constructor(private readonly database: PostgresDatabase) {}

  static async open(database: PostgresDatabase): Promise<PostgresRosterStore> {
    await database.migrate('roster', MIGRATIONS);
    return new PostgresRosterStore(database);
  }

  /** One snapshot, so the version always describes exactly the items returned with it. */
  async getRoster(user: string): Promise<Roster> {
    return this.database.transaction(
      async (sql) => {
        const rows = await sql.rows<ItemRow>(
          `SELECT ${ITEM_COLUMNS} FROM roster_items WHERE username = $1 ORDER BY jid COLLATE "C"`,
          [user],
        );
        return { version: await version(sql, user), items: rows.map(toItem) };
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  }

  async getItem(user: string, jid: string): Promise<RosterItem | undefined> {
    const row = await this.database.one<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM roster_items WHERE username = $1 AND jid = $2`, [user, jid]);
    return row ? toItem(row) : undefined;
  }

  async setItem(user: string, item: RosterItem): Promise<number> {
    return this.database.transaction(async (sql) => {
      await sql.run(
        `INSERT INTO roster_items (username, jid, name, subscription, ask, approved, groups) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (username, jid) DO UPDATE SET name = excluded.name, subscription = excluded.subscription,
           ask = excluded.ask, approved = excluded.approved, groups = excluded.groups`,
        [user, item.jid, item.name ?? null, item.subscription, item.ask, item.approved, item.groups],
      );
      return bump(sql, user);
    });
  }

  async removeItem(user: string, jid: string): Promise<number> {
    return this.database.transaction(async (sql) => {
      const removed = await sql.run('DELETE FROM roster_items WHERE username = $1 AND jid = $2', [user, jid]);
      return removed > 0 ? bump(sql, user) : version(sql, user);
    });
  }

  async getPendingIn(user: string): Promise<{ from: string; stanza: string }[]> {
    const rows = await this.database.rows<{ from_jid: string; stanza: string }>(
      'SELECT from_jid, stanza FROM roster_pending_in WHERE username = $1',
      [user],
    );
    return rows.map((r) => ({ from: r.from_jid, stanza: r.stanza }));
  }

  async setPendingIn(user: string, from: string, stanza: string): Promise<void> {
    await this.database.run(
      `INSERT INTO roster_pending_in (username, from_jid, stanza) VALUES ($1, $2, $3)
       ON CONFLICT (username, from_jid) DO UPDATE SET stanza = excluded.stanza`,
      [user, from, stanza],
    );
  }

  async removePendingIn(user: string, from: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM roster_pending_in WHERE username = $1 AND from_jid = $2', [user, from])) > 0;
  }

  async removeUser(user: string): Promise<void> {
    await this.database.transaction(async (sql) => {
      await sql.run('DELETE FROM roster_items WHERE username = $1', [user]);
      await sql.run('DELETE FROM roster_versions WHERE username = $1', [user]);
      await sql.run('DELETE FROM roster_pending_in WHERE username = $1', [user]);
    });
  }
}
