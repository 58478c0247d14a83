// Pruning the calendar change log (DESIGN.md section 3; the sync-token expiry of RFC 6578 section 3.8,
// DAV:valid-sync-token): the order of steps both stores follow, so that a list never answers with holes.
// First, in one short transaction, the cut is found and the stored oldest answerable token raised to it;
// from then on a sync token below it is refused as expired. Only then are the entries at or below it
// deleted, a batch per transaction with a pause between, so a long backlog never holds the database
// (SQLite: the write lock; both: the event loop) for long, and a run cut short is finished by the next.

import { formatUtc } from '../calendar/time/wall-clock.js';
import type { PruneOptions, PruneResult } from './calendar-store.js';

/** What a backend provides; each method is one transaction of its own. */
export interface ChangeLogPruneSteps {
  /**
   * Finds the newest token of the oldest run of entries whose `modified` is before `beforeUtc` (in
   * token order, stopping at the first one that is not), raises the stored oldest token to it if that
   * is newer, and returns the stored oldest token.
   */
  raiseOldest(beforeUtc: string): Promise<number>;
  /** Deletes up to `limit` entries (and their audience rows) with a token at or below `through`. */
  deleteBatch(through: number, limit: number): Promise<number>;
}

export const DEFAULT_PRUNE_BATCH = 1000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function pruneChangeLogInBatches(steps: ChangeLogPruneSteps, before: Date, options: PruneOptions = {}): Promise<PruneResult> {
  const batchSize = options.batchSize ?? DEFAULT_PRUNE_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const pause = options.pause ?? nextTurn;
  // Timestamps are stored with seconds precision; an entry of the same second as `before` is kept.
  const prunedThrough = await steps.raiseOldest(formatUtc(before.getTime()));
  let deleted = 0;
  for (;;) {
    const count = await steps.deleteBatch(prunedThrough, batchSize);
    deleted += count;
    if (count < batchSize) break;
    await pause();
  }
  return { prunedThrough, deleted };
}
