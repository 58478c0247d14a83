// XEP-0191 block lists on SQLite: one row per account and blocked JID, in blocking order.

import type { BlocklistStore } from '../blocklist-store.js';
import type { SqliteDatabase } from './database.js';

export class SqliteBlocklistStore implements BlocklistStore {
  constructor(private readonly database: SqliteDatabase) {
    database.migrate('blocklist', [
      `CREATE TABLE blocklist (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL,
        jid TEXT NOT NULL,
        UNIQUE (username, jid)
      );`,
    ]);
  }

  async list(user: string): Promise<string[]> {
    return this.listNow(user);
  }

  async block(user: string, jids: string[]): Promise<string[]> {
    const insert = this.database.db.prepare('INSERT INTO blocklist (username, jid) VALUES (?, ?) ON CONFLICT (username, jid) DO NOTHING');
    return this.database.transaction(() => [...new Set(jids)].filter((jid) => insert.run(user, jid).changes > 0));
  }

  async unblock(user: string, jids: string[]): Promise<string[]> {
    const remove = this.database.db.prepare('DELETE FROM blocklist WHERE username = ? AND jid = ?');
    return this.database.transaction(() => [...new Set(jids)].filter((jid) => remove.run(user, jid).changes > 0));
  }

  async unblockAll(user: string): Promise<string[]> {
    return this.database.transaction(() => {
      const held = this.listNow(user);
      this.database.db.prepare('DELETE FROM blocklist WHERE username = ?').run(user);
      return held;
    });
  }

  private listNow(user: string): string[] {
    const rows = this.database.db.prepare('SELECT jid FROM blocklist WHERE username = ? ORDER BY seq').all(user) as { jid: string }[];
    return rows.map((r) => r.jid);
  }
}
