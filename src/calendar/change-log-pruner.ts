// The calendar change log's retention (calendar.change_log_days; DESIGN.md section 3): a timer that asks
// the store to prune entries older than the retention, as real calendar APIs do (RFC 6578 section 3.8:
// a token whose changes are gone fails DAV:valid-sync-token; here a list answers 410 and the client
// lists in full). The store deletes in batches with a pause between; stopping makes the next pause end
// the run, and the stop promise waits for it, so the database can be closed after it.

import type { CalendarStore } from '../storage/calendar-store.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface PruneLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ChangeLogPruning {
  store: Pick<CalendarStore, 'pruneChangeLog'>;
  /** Entries older than this many days go; 0 keeps them for ever (no timer). */
  days: number;
  /** Between runs (default one hour). */
  intervalMs?: number;
  /** Before the first run (default one minute), so start-up is not slowed by a backlog. */
  firstRunMs?: number;
  now?: () => Date;
  log?: PruneLog;
}

class PruningStopped extends Error {}

export interface ChangeLogPruner {
  /** One run now (the timer's runs call this too); runs never overlap. */
  runOnce(): Promise<void>;
  /** Ends the timer and any run in progress at its next pause, and waits for it. */
  stop(): Promise<void>;
}

export function startChangeLogPruning(options: ChangeLogPruning): ChangeLogPruner {
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<void> | undefined;
  const pause = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    if (stopped) throw new PruningStopped();
  };
  const prune = async (): Promise<void> => {
    const before = new Date(now().getTime() - options.days * DAY_MS);
    try {
      const result = await options.store.pruneChangeLog(before, { pause });
      if (result.deleted > 0) options.log?.info({ ...result, before: before.toISOString() }, 'calendar change log pruned');
    } catch (err) {
      if (!(err instanceof PruningStopped)) options.log?.warn({ err }, 'calendar change log pruning failed; retried at the next run');
    }
  };
  const runOnce = (): Promise<void> => {
    if (stopped || options.days <= 0) return Promise.resolve();
    running ??= prune().finally(() => (running = undefined));
    return running;
  };
  const timers: NodeJS.Timeout[] = [];
  if (options.days > 0) {
    const interval = options.intervalMs ?? HOUR_MS;
    const first = setTimeout(() => {
      void runOnce();
      const every = setInterval(() => void runOnce(), interval);
      every.unref();
      timers.push(every);
    }, options.firstRunMs ?? 60_000);
    first.unref();
    timers.push(first);
  }
  return {
    runOnce,
    async stop() {
      stopped = true;
      for (const timer of timers) {
        clearTimeout(timer);
        clearInterval(timer);
      }
      await running;
    },
  };
}
