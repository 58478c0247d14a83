// The change log statements of the SQLite calendar store that pruning needs (storage/calendar-change-
// log-pruning.ts has the order of steps; RFC 6578 section 3.8 the refusal of a token older than what is
// kept). Each method runs inside one of the store's transactions.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDb } from './database.js';
import { preparedOnce } from './prepared-statements.js';
import type { ChangeLogPruneSteps } from '../calendar-change-log-pruning.js';

export class ChangeLogRows {
  /** Each distinct statement prepared once. */
  private readonly sql: (source: string) => BetterSqlite3.Statement;

  constructor(db: SqliteDb) {
    this.sql = preparedOnce(db);
  }

  /** The steps of a prune; `inTransaction` runs its body in a write transaction. */
  pruneSteps(inTransaction: <T>(body: () => T) => Promise<T>): ChangeLogPruneSteps {
    return {
      raiseOldest: (beforeUtc) =>
        Promise.resolve()
          .then(() => this.pruneLimit(beforeUtc))
          .then((limit) => inTransaction(() => this.raiseOldest(limit))),
      deleteBatch: (through, limit) => inTransaction(() => this.deleteBatch(through, limit)),
    };
  }

  /**
   * The token of the first entry to keep (entries below it may go), read outside any write transaction:
   * a long backlog is walked without holding the write lock, and as one statement it is one snapshot,
   * so an entry committed meanwhile is above the answer. Both lookups walk the token index.
   */
  pruneLimit(beforeUtc: string): number {
    const row = this.sql(
      `SELECT (SELECT sync_token FROM calendar_changes WHERE modified >= ? ORDER BY sync_token LIMIT 1) AS kept,
              (SELECT sync_token FROM calendar_changes ORDER BY sync_token DESC LIMIT 1) AS newest`,
    ).get(beforeUtc) as { kept: number | null; newest: number | null };
    return row.kept ?? (row.newest ?? 0) + 1;
  }

  /** Raises the stored oldest token to the newest entry below `limit`, never lowers it; returns it. */
  raiseOldest(limit: number): number {
    const cut = this.sql('SELECT sync_token FROM calendar_changes WHERE sync_token < ? ORDER BY sync_token DESC LIMIT 1').get(limit) as
      | { sync_token: number }
      | undefined;
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
