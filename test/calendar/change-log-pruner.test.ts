// The retention timer of the calendar change log (calendar/change-log-pruner.ts, calendar.change_log_days):
// what it asks the store to prune, that runs never overlap, and that stopping ends a run in progress.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startChangeLogPruning, type PruneLog } from '../../src/calendar/change-log-pruner.js';
import type { PruneOptions, PruneResult } from '../../src/storage/calendar-store.js';

const NOW = new Date('2026-11-25T12:00:00Z');

class FakeStore {
  readonly calls: Date[] = [];
  failNext = false;
  /** Batches a run goes through, pausing after each. */
  batches = 1;
  pauses = 0;
  async pruneChangeLog(before: Date, options: PruneOptions = {}): Promise<PruneResult> {
    this.calls.push(before);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database is locked');
    }
    for (let i = 1; i < this.batches; i++) {
      this.pauses++;
      await options.pause!();
    }
    return { prunedThrough: 7, deleted: this.batches };
  }
}

function recordingLog(): PruneLog & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (_o, msg) => void warnings.push(msg), info: (_o, msg) => void infos.push(msg) };
}

describe('change log pruning timer', () => {
  it('a run prunes what is older than the retention, counted back from now', async () => {
    const store = new FakeStore();
    const log = recordingLog();
    const pruner = startChangeLogPruning({ store, days: 30, now: () => NOW, log });
    await pruner.runOnce();
    assert.deepEqual(store.calls, [new Date('2026-10-26T12:00:00Z')]);
    assert.deepEqual(log.infos, ['calendar change log pruned']);
    await pruner.stop();
  });

  it('a retention of 0 days keeps the change log for ever', async () => {
    const store = new FakeStore();
    const pruner = startChangeLogPruning({ store, days: 0, now: () => NOW });
    await pruner.runOnce();
    assert.deepEqual(store.calls, []);
    await pruner.stop();
  });

  it('a run asked for while one is going shares it', async () => {
    const store = new FakeStore();
    store.batches = 3;
    const pruner = startChangeLogPruning({ store, days: 1, now: () => NOW });
    const first = pruner.runOnce();
    const second = pruner.runOnce();
    assert.equal(first, second);
    await first;
    assert.equal(store.calls.length, 1);
    await pruner.runOnce();
    assert.equal(store.calls.length, 2);
    await pruner.stop();
  });

  it('stopping ends a run in progress at its next pause and waits for it', async () => {
    const store = new FakeStore();
    store.batches = 1_000_000;
    const log = recordingLog();
    const pruner = startChangeLogPruning({ store, days: 1, now: () => NOW, log });
    void pruner.runOnce();
    await pruner.stop();
    // The first pause after stop() ends the run; a million batches would have taken seconds.
    assert.ok(store.pauses <= 2, `${store.pauses} pauses`);
    assert.deepEqual(log.warnings, []);
    await pruner.runOnce();
    assert.equal(store.calls.length, 1);
  });

  it('a failed run is logged and the next run tries again', async () => {
    const store = new FakeStore();
    store.failNext = true;
    const log = recordingLog();
    const pruner = startChangeLogPruning({ store, days: 1, now: () => NOW, log });
    await pruner.runOnce();
    assert.equal(log.warnings.length, 1);
    await pruner.runOnce();
    assert.equal(store.calls.length, 2);
    assert.equal(log.infos.length, 1);
    await pruner.stop();
  });
});
