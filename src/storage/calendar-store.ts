// The calendar store (DESIGN.md section 3): calendars, shares, events and event subscriptions, with one
// global, strictly increasing sync token. Every write method is one transaction that checks existence,
// permission and preconditions, bumps the token, writes its rows stamped with that token and records a
// change log entry per affected user (deletions stay there as tombstones); a check that fails throws one
// of the errors of calendar/model/errors.ts and nothing is written. The change log is pruned after
// calendar.change_log_days; a sync token older than what is kept is refused (SyncTokenExpiredError).
// Implementations: sqlite/ and postgres/; both must pass test/calendar/store-suite.ts and
// test/calendar/change-log-prune-suite.ts.

import type {
  ChangeEntry,
  CalendarData,
  CalendarRecord,
  EventData,
  EventRecord,
  Permission,
  Rsvp,
  ShareRecord,
  SubscriptionRecord,
  Tombstone,
  VisibleCalendar,
  VisibleEvent,
} from '../calendar/model/types.js';

export interface WriteContext {
  /** The username doing the write. */
  actor: string;
  now: Date;
}

/** Optimistic concurrency: If-Match etags (`*` matches any) and/or the event `sequence` the client saw. */
export interface Precondition {
  etags?: string[];
  sequence?: number;
}

export type { ChangeAction, ChangeEntry } from '../calendar/model/types.js';

export interface Committed<T> {
  syncToken: number;
  /** ISO 8601 UTC time of the commit, the `modified` of every row it wrote. */
  modified: string;
  value: T;
  changes: ChangeEntry[];
}

export interface Page {
  limit: number;
  offset: number;
}

export interface SyncList<T> {
  /** With a sync token: what changed after it, deletions and lost access as tombstones. */
  items: Array<T | Tombstone>;
  /** The token to pass next time: everything up to it is reflected in a complete walk of the pages. */
  syncToken: number;
  hasMore: boolean;
}

export interface CalendarQuery extends Page {
  syncToken?: number;
}

export interface EventQuery extends Page {
  calendarIds?: string[];
  syncToken?: number;
  /** Keep events whose prefilter bounds overlap [fromUtc, toUtc) (milliseconds). */
  range?: { fromUtc: number; toUtc: number };
  /** A finer test applied after the prefilter and before paging (e.g. a real recurrence expansion). */
  filter?: (event: VisibleEvent) => boolean;
}

export interface SubscriptionQuery extends Page {
  eventIds?: string[];
  calendarIds?: string[];
  syncToken?: number;
}

export interface ImportResult {
  created: string[];
  updated: string[];
}

export interface SubscriptionPatch {
  rsvp?: Rsvp;
  permission?: Permission;
}

export interface PruneOptions {
  /** Change log entries deleted per transaction (default 1000), so readers and writers get turns. */
  batchSize?: number;
  /** Awaited between batches (default: one turn of the event loop). */
  pause?: () => Promise<void>;
}

export interface PruneResult {
  /** The newest token whose changes are gone: a sync token below it is now expired. */
  prunedThrough: number;
  /** Change log entries deleted by this run. */
  deleted: number;
}

export interface CalendarStore {
  /** The newest committed sync token (0 before the first write). */
  currentSyncToken(): Promise<number>;
  /**
   * The oldest sync token a list still answers exactly (0 until the change log is first pruned); a list
   * with an older one rejects with SyncTokenExpiredError.
   */
  oldestSyncToken(): Promise<number>;
  /**
   * Deletes the change log entries, tombstones included, committed before `before`. Only the oldest
   * run of entries is cut (in token order, up to the first one committed at or after `before`), so an
   * entry with a clock earlier than its predecessor's waits for them. The new oldest token is stored
   * before any entry goes, so no reader ever gets a list with holes; then entries go in batches.
   */
  pruneChangeLog(before: Date, options?: PruneOptions): Promise<PruneResult>;

  createCalendar(ctx: WriteContext, data: CalendarData): Promise<Committed<VisibleCalendar>>;
  getCalendar(viewer: string, id: string): Promise<VisibleCalendar>;
  listCalendars(viewer: string, query: CalendarQuery): Promise<SyncList<VisibleCalendar>>;
  /** Owner only. `change` maps the current data to the new data and may throw ValidationError. */
  updateCalendar(
    ctx: WriteContext,
    id: string,
    change: (current: CalendarRecord) => CalendarData,
    pre: Precondition,
  ): Promise<Committed<VisibleCalendar>>;
  /** Owner only; deletes the calendar's events, subscriptions and shares in the same transaction. */
  deleteCalendar(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>>;

  listShares(viewer: string, calendarId: string): Promise<ShareRecord[]>;
  /** Owner only; creates or changes a share and the sharee's subscriptions to every event. */
  putShare(
    ctx: WriteContext,
    calendarId: string,
    username: string,
    permission: Permission,
  ): Promise<Committed<{ share: ShareRecord; created: boolean }>>;
  deleteShare(ctx: WriteContext, calendarId: string, username: string): Promise<Committed<null>>;

  /** Needs write access to the calendar; subscribes its owner and sharees. */
  createEvent(ctx: WriteContext, calendarId: string, data: EventData): Promise<Committed<VisibleEvent>>;
  getEvent(viewer: string, id: string): Promise<VisibleEvent>;
  listEvents(viewer: string, query: EventQuery): Promise<SyncList<VisibleEvent>>;
  updateEvent(
    ctx: WriteContext,
    id: string,
    change: (current: EventRecord) => EventData,
    pre: Precondition,
  ): Promise<Committed<VisibleEvent>>;
  deleteEvent(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>>;
  /** Creates or updates (matched by uid) events of one calendar in a single transaction. */
  importEvents(ctx: WriteContext, calendarId: string, events: EventData[]): Promise<Committed<ImportResult>>;

  /** Invites a user to one event; needs write access to the event. */
  inviteToEvent(
    ctx: WriteContext,
    eventId: string,
    username: string,
    permission: Permission,
  ): Promise<Committed<SubscriptionRecord>>;
  getSubscription(viewer: string, id: string): Promise<SubscriptionRecord>;
  listSubscriptions(viewer: string, query: SubscriptionQuery): Promise<SyncList<SubscriptionRecord>>;
  /** RSVP by the subscriber; permission of an invitation by a writer of the event. */
  updateSubscription(
    ctx: WriteContext,
    id: string,
    patch: SubscriptionPatch,
    pre: Precondition,
  ): Promise<Committed<SubscriptionRecord>>;
  /** Withdraws an invitation (by its user or a writer); ownership and shares are changed elsewhere. */
  deleteSubscription(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>>;
}
