// XEP-0191 block lists on PostgreSQL, shared by every process of a cluster: one row per account and
// blocked JID, in blocking order. Each command is one statement, so concurrent ones from several
// processes each see and report only their own changes.

import type { BlocklistStore } from '../blocklist-store.js';
import type { PostgresDatabase } from './database.js';

const MIGRATIONS = [
  `CREATE TABLE blocklist (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     username TEXT NOT NULL,
     jid TEXT NOT NULL,
     UNIQUE (username, jid)
   );`,
];

export class PostgresBlocklistStore implements BlocklistStore {
  private constructor(private readonly database: PostgresDatabase) {}

  static async open(database: PostgresDatabase): Promise<PostgresBlocklistStore> {
    await database.migrate('blocklist', MIGRATIONS);
    return new PostgresBlocklistStore(database);
  }

  async list(user: string): Promise<string[]> {
    const rows = await this.database.rows<{ jid: string }>('SELECT jid FROM blocklist WHERE username = $1 ORDER BY seq', [user]);
    return rows.map((r) => r.jid);
  }

  async block(user: string, jids: string[]): Promise<string[]> {
    const wanted = [...new Set(jids)];
    if (wanted.length === 0) return [];
    // unnest WITH ORDINALITY keeps the request's order in seq.
    const rows = await this.database.rows<{ jid: string }>(
      `INSERT INTO blocklist (username, jid)
       SELECT $1, j FROM unnest($2::text[]) WITH ORDINALITY AS t(j, n) ORDER BY n
       ON CONFLICT (username, jid) DO NOTHING RETURNING jid`,
      [user, wanted],
    );
    const added = new Set(rows.map((r) => r.jid));
    return wanted.filter((j) => added.has(j));
  }

  async unblock(user: string, jids: string[]): Promise<string[]> {
    const wanted = [...new Set(jids)];
    if (wanted.length === 0) return [];
    const rows = await this.database.rows<{ jid: string }>('DELETE FROM blocklist WHERE username = $1 AND jid = ANY($2::text[]) RETURNING jid', [
      user,
      wanted,
    ]);
    const removed = new Set(rows.map((r) => r.jid));
    return wanted.filter((j) => removed.has(j));
  }

  async unblockAll(user: string): Promise<string[]> {
    const rows = await this.database.rows<{ seq: number; jid: string }>('DELETE FROM blocklist WHERE username = $1 RETURNING seq, jid', [user]);
    // RETURNING has no defined order.
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.jid);
  }
}
