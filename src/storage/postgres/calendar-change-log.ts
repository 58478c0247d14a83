// The change log statements of the PostgreSQL calendar store that pruning needs (storage/calendar-change-
// log-pruning.ts has the order of steps; RFC 6578 section 3.8 the refusal of a token older than what is
// kept). One instance serves one transaction.

import type { Sql } from './database.js';

export class ChangeLogRows {
  constructor(private readonly sql: Sql) {}

  /**
   * One statement, so the cut comes from one snapshot: an entry committed meanwhile has a newer token
   * than any it saw and is never taken into the cut. The update waits for a writer holding the sequence
   * row, then raises the stored token only if the cut is newer (another process may have pruned further).
   */
  async raiseOldest(beforeUtc: string): Promise<number> {
    const row = await this.sql.one<{ pruned_through: number }>(
      `UPDATE calendar_sequence SET pruned_through = GREATEST(pruned_through, COALESCE((
         SELECT c.sync_token FROM calendar_changes c
         WHERE c.sync_token < COALESCE(
           (SELECT k.sync_token FROM calendar_changes k WHERE k.modified >= $1 ORDER BY k.sync_token LIMIT 1),
           9223372036854775807)
         ORDER BY c.sync_token DESC LIMIT 1), 0))
       WHERE id = 1 RETURNING pruned_through`,
      [beforeUtc],
    );
    return row!.pruned_through;
  }

  async deleteBatch(through: number, limit: number): Promise<number> {
    const rows = await this.sql.rows<{ id: number }>('SELECT id FROM calendar_changes WHERE sync_token <= $1 ORDER BY sync_token LIMIT $2', [
      through,
      limit,
    ]);
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    await this.sql.run('DELETE FROM calendar_change_audience WHERE change_id = ANY($1::bigint[])', [ids]);
    await this.sql.run('DELETE FROM calendar_changes WHERE id = ANY($1::bigint[])', [ids]);
    return rows.length;
  }
}
