// The change log statements of the SQLite calendar store that pruning needs (storage/calendar-change-
// log-pruning.ts has the order of steps; RFC 6578 section 3.8 the refusal of a token older than what is
// kept). Each method runs inside one of the store's transactions.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDb } from './database.js';

export class ChangeLogRows {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: SqliteDb) {}

  private sql(source: string): BetterSqlite3.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  raiseOldest(beforeUtc: string): number {
    // Both lookups walk the token index: the first from the oldest entry up to the first one to keep.
    const kept = this.sql('SELECT sync_token FROM calendar_changes WHERE modified >= ? ORDER BY sync_token LIMIT 1').get(beforeUtc) as
      | { sync_token: number }
      | undefined;
    const cut = (
      kept
        ? this.sql('SELECT sync_token FROM calendar_changes WHERE sync_token < ? ORDER BY sync_token DESC LIMIT 1').get(kept.sync_token)
        : this.sql('SELECT sync_token FROM calendar_changes ORDER BY sync_token DESC LIMIT 1').get()
    ) as { sync_token: number } | undefined;
    const row = this.sql('UPDATE calendar_sequence SET pruned_through = MAX(pruned_through, ?) WHERE id = 1 RETURNING pruned_through').get(
      cut?.sync_token ?? 0,
    ) as { pruned_through: number };
    return row.pruned_through;
  }

  deleteBatch(through: number, limit: number): number {
    const rows = this.sql('SELECT id FROM calendar_changes WHERE sync_token <= ? ORDER BY sync_token LIMIT ?').all(through, limit) as Array<{
      id: number;
    }>;
    if (rows.length === 0) return 0;
    const ids = JSON.stringify(rows.map((r) => r.id));
    this.sql('DELETE FROM calendar_change_audience WHERE change_id IN (SELECT value FROM json_each(?))').run(ids);
    this.sql('DELETE FROM calendar_changes WHERE id IN (SELECT value FROM json_each(?))').run(ids);
    return rows.length;
  }
}
