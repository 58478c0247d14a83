// RFC 6121 rosters on SQLite: one row per item, a version counter per user (2.6 versioning),
// and the pending inbound subscription requests.

import type { Roster, RosterItem, RosterStore, Subscription } from '../roster-store.js';
import type { SqliteDatabase } from './database.js';

interface ItemRow {
  jid: string;
  name: string | null;
  subscription: Subscription;
  ask: number;
  approved: number;
  groups: string;
}

export class SqliteRosterStore implements RosterStore {
  constructor(private readonly database: SqliteDatabase) {
    database.migrate('roster', [
      `CREATE TABLE roster_items (
        username TEXT NOT NULL,
        jid TEXT NOT NULL,
        name TEXT,
        subscription TEXT NOT NULL,
        ask INTEGER NOT NULL,
        approved INTEGER NOT NULL,
        groups TEXT NOT NULL,
        PRIMARY KEY (username, jid)
      );
      CREATE TABLE roster_versions (username TEXT PRIMARY KEY, version INTEGER NOT NULL);
      CREATE TABLE roster_pending_in (
        username TEXT NOT NULL,
        from_jid TEXT NOT NULL,
        stanza TEXT NOT NULL,
        PRIMARY KEY (username, from_jid)
      );`,
    ]);
  }

  private version(user: string): number {
    const row = this.database.db.prepare('SELECT version FROM roster_versions WHERE username = ?').get(user) as { version: number } | undefined;
    return row?.version ?? 0;
  }

  private bump(user: string): number {
    const row = this.database.db
      .prepare(
        `INSERT INTO roster_versions (username, version) VALUES (?, 1)
         ON CONFLICT(username) DO UPDATE SET version = version + 1 RETURNING version`,
      )
      .get(user) as { version: number };
    return row.version;
  }

  async getRoster(user: string): Promise<Roster> {
    const rows = this.database.db.prepare('SELECT * FROM roster_items WHERE username = ? ORDER BY jid').all(user) as ItemRow[];
    return { version: this.version(user), items: rows.map(toItem) };
  }

  async getItem(user: string, jid: string): Promise<RosterItem | undefined> {
    const row = this.database.db.prepare('SELECT * FROM roster_items WHERE username = ? AND jid = ?').get(user, jid) as ItemRow | undefined;
    return row ? toItem(row) : undefined;
  }

  async setItem(user: string, item: RosterItem): Promise<number> {
    return this.database.transaction(() => {
      this.database.db
        .prepare(
          `INSERT INTO roster_items (username, jid, name, subscription, ask, approved, groups) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(username, jid) DO UPDATE SET name = excluded.name, subscription = excluded.subscription,
             ask = excluded.ask, approved = excluded.approved, groups = excluded.groups`,
        )
        .run(user, item.jid, item.name ?? null, item.subscription, item.ask ? 1 : 0, item.approved ? 1 : 0, JSON.stringify(item.groups));
      return this.bump(user);
    });
  }

  async removeItem(user: string, jid: string): Promise<number> {
    return this.database.transaction(() => {
      const r = this.database.db.prepare('DELETE FROM roster_items WHERE username = ? AND jid = ?').run(user, jid);
      return r.changes > 0 ? this.bump(user) : this.version(user);
    });
  }

  async getPendingIn(user: string): Promise<{ from: string; stanza: string }[]> {
    return (
      this.database.db.prepare('SELECT from_jid, stanza FROM roster_pending_in WHERE username = ?').all(user) as {
        from_jid: string;
        stanza: string;
      }[]
    ).map((r) => ({ from: r.from_jid, stanza: r.stanza }));
  }

  async setPendingIn(user: string, from: string, stanza: string): Promise<void> {
    this.database.db
      .prepare(
        `INSERT INTO roster_pending_in (username, from_jid, stanza) VALUES (?, ?, ?)
         ON CONFLICT(username, from_jid) DO UPDATE SET stanza = excluded.stanza`,
      )
      .run(user, from, stanza);
  }

  async removePendingIn(user: string, from: string): Promise<boolean> {
    return this.database.db.prepare('DELETE FROM roster_pending_in WHERE username = ? AND from_jid = ?').run(user, from).changes > 0;
  }

  async removeUser(user: string): Promise<void> {
    this.database.transaction(() => {
      for (const table of ['roster_items', 'roster_versions', 'roster_pending_in']) {
        this.database.db.prepare(`DELETE FROM ${table} WHERE username = ?`).run(user);
      }
    });
  }
}

function toItem(row: ItemRow): RosterItem {
  return {
    jid: row.jid,
    name: row.name ?? undefined,
    subscription: row.subscription,
    ask: row.ask === 1,
    approved: row.approved === 1,
    groups: JSON.parse(row.groups) as string[],
  };
}
