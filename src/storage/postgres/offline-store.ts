// XEP-0160 offline messages on PostgreSQL, kept in arrival order. Several processes may store for and
// deliver to the same account: a per-account advisory lock makes the quota check and the insert one
// step, and takeAll one DELETE ... RETURNING under the same lock, so a message goes to exactly one taker.

import type { OfflineStore } from '../offline-store.js';
import type { PostgresDatabase, Sql } from './database.js';

const MIGRATIONS = [
  `CREATE TABLE offline_messages (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     username TEXT NOT NULL,
     stanza TEXT NOT NULL,
     stored_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX offline_messages_user ON offline_messages (username, seq);`,
];

/** Serialises stores and takes for one account; it also makes seq follow commit order per account. */
function lockAccount(sql: Sql, user: string): Promise<number> {
  return sql.run(`SELECT pg_advisory_xact_lock(hashtextextended('offline:' || $1, 0))`, [user]);
}

export class PostgresOfflineStore implements OfflineStore {
  private constructor(private readonly database: PostgresDatabase) {}

  static async open(database: PostgresDatabase): Promise<PostgresOfflineStore> {
    await database.migrate('offline', MIGRATIONS);
    return new PostgresOfflineStore(database);
  }

  async store(user: string, stanza: string, quota: number): Promise<boolean> {
    return this.database.transaction(async (sql) => {
      await lockAccount(sql, user);
      const inserted = await sql.run(
        `INSERT INTO offline_messages (username, stanza, stored_at)
         SELECT $1, $2, now() WHERE (SELECT COUNT(*) FROM offline_messages WHERE username = $1) < $3`,
        [user, stanza, quota],
      );
      return inserted > 0;
    });
  }

  async takeAll(user: string): Promise<string[]> {
    const rows = await this.database.transaction(async (sql) => {
      await lockAccount(sql, user);
      return sql.rows<{ seq: number; stanza: string }>('DELETE FROM offline_messages WHERE username = $1 RETURNING seq, stanza', [user]);
    });
    // RETURNING has no defined order.
    return rows.sort((a, b) => a.seq - b.seq).map((r) => r.stanza);
  }

  async count(user: string): Promise<number> {
    return (await this.database.one<{ n: number }>('SELECT COUNT(*) AS n FROM offline_messages WHERE username = $1', [user]))!.n;
  }
}
