// XEP-0160 offline messages on SQLite, kept in arrival order.

import type { OfflineStore } from '../offline-store.js';
import type { SqliteDatabase } from './database.js';

export class SqliteOfflineStore implements OfflineStore {
  constructor(private readonly database: SqliteDatabase) {
    database.migrate('offline', [
      `CREATE TABLE offline_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL,
        stanza TEXT NOT NULL,
        stored_at TEXT NOT NULL
      );
      CREATE INDEX offline_messages_user ON offline_messages (username, seq);`,
    ]);
  }

  async store(user: string, stanza: string, quota: number): Promise<boolean> {
    return this.database.transaction(() => {
      if (this.countNow(user) >= quota) return false;
      this.database.db
        .prepare('INSERT INTO offline_messages (username, stanza, stored_at) VALUES (?, ?, ?)')
        .run(user, stanza, new Date().toISOString());
      return true;
    });
  }

  async takeAll(user: string): Promise<string[]> {
    return this.database.transaction(() => {
      const rows = this.database.db.prepare('SELECT stanza FROM offline_messages WHERE username = ? ORDER BY seq').all(user) as {
        stanza: string;
      }[];
      this.database.db.prepare('DELETE FROM offline_messages WHERE username = ?').run(user);
      return rows.map((r) => r.stanza);
    });
  }

  async count(user: string): Promise<number> {
    return this.countNow(user);
  }

  private countNow(user: string): number {
    return (this.database.db.prepare('SELECT COUNT(*) AS n FROM offline_messages WHERE username = ?').get(user) as { n: number }).n;
  }
}
