// The CalendarStore (storage/calendar-store.ts) on the embedded SQLite database (DESIGN.md sections 3, 5).
// Each write is one better-sqlite3 transaction: bump the global sequence, check, write the rows with the
// new token, derive the affected users from before/after snapshots (calendar/model/change-diff.ts) and
// log them. A throw anywhere rolls all of it back, including the token.

import type { SqliteDatabase } from './database.js';
import { CALENDAR_MIGRATIONS } from './calendar-store-schema.js';
import { CalendarRows } from './calendar-store-rows.js';
import { CalendarReads } from './calendar-store-reads.js';
import { WriteSteps } from './calendar-store-writes.js';
import { ChangeLogRows } from './calendar-change-log.js';
import { pruneChangeLogInBatches } from '../calendar-change-log-pruning.js';
import { diffCalendar, diffEvent } from '../../calendar/model/change-diff.js';
import type {
  CalendarData,
  CalendarRecord,
  EventData,
  EventRecord,
  Permission,
  ShareRecord,
  SubscriptionRecord,
  VisibleCalendar,
  VisibleEvent,
} from '../../calendar/model/types.js';
import type {
  CalendarQuery,
  CalendarStore,
  Committed,
  EventQuery,
  ImportResult,
  Precondition,
  PruneOptions,
  PruneResult,
  SubscriptionPatch,
  SubscriptionQuery,
  SyncList,
  WriteContext,
} from '../calendar-store.js';
import {
  checkInvitationWithdrawal,
  checkNotSubscribed,
  checkPrecondition,
  checkShareRemoval,
  checkShareTarget,
  checkSubscriptionPatch,
} from '../calendar-write-checks.js';
import {
  calendarContext,
  changedCalendarRecord,
  committed,
  newCalendarRecord,
  newSubscription,
  openWriteScope,
  patchedSubscription,
  shareRecordToPut,
  withdrawnInvitation,
  type WriteScope,
} from '../calendar-write-records.js';

export class SqliteCalendarStore implements CalendarStore {
  private readonly rows: CalendarRows;
  private readonly reads: CalendarReads;
  private readonly steps: WriteSteps;
  private readonly changeLog: ChangeLogRows;

  constructor(private readonly database: SqliteDatabase) {
    database.migrate('calendar', CALENDAR_MIGRATIONS);
    this.rows = new CalendarRows(database.db);
    this.reads = new CalendarReads(this.rows);
    this.steps = new WriteSteps(this.rows, this.reads);
    this.changeLog = new ChangeLogRows(database.db);
  }

  private write<T>(ctx: WriteContext, body: (w: WriteScope) => T): Promise<Committed<T>> {
    try {
      return Promise.resolve(
        this.database.transaction(() => {
          const scope = openWriteScope(this.rows.nextToken(), ctx);
          const value = body(scope);
          for (const change of scope.changes) this.rows.recordChange(scope.token, change, ctx.actor, scope.modified);
          return committed(scope, value);
        }),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Reads run in a transaction too, so a list and its sync token come from one snapshot. */
  private read<T>(body: () => T): Promise<T> {
    try {
      return Promise.resolve(this.database.transaction(body));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  currentSyncToken(): Promise<number> {
    return this.read(() => this.rows.currentToken());
  }

  oldestSyncToken(): Promise<number> {
    return this.read(() => this.rows.tokenBounds().oldest);
  }

  pruneChangeLog(before: Date, options?: PruneOptions): Promise<PruneResult> {
    // read() wraps any body in a transaction of its own, so batches interleave with requests.
    return pruneChangeLogInBatches(this.changeLog.pruneSteps((body) => this.read(body)), before, options);
  }

  // --- calendars ---

  createCalendar(ctx: WriteContext, data: CalendarData): Promise<Committed<VisibleCalendar>> {
    return this.write(ctx, (w) => {
      const calendar = newCalendarRecord(w, ctx.actor, data);
      this.rows.putCalendar(calendar);
      const after = { calendar, shares: [] };
      w.changes.push(...diffCalendar(null, after));
      return { calendar: after, level: 'owner' as const };
    });
  }

  getCalendar(viewer: string, id: string): Promise<VisibleCalendar> {
    return this.read(() => this.reads.getCalendar(viewer, id));
  }

  listCalendars(viewer: string, query: CalendarQuery): Promise<SyncList<VisibleCalendar>> {
    return this.read(() => this.reads.listCalendars(viewer, query));
  }

  updateCalendar(
    ctx: WriteContext,
    id: string,
    change: (current: CalendarRecord) => CalendarData,
    pre: Precondition,
  ): Promise<Committed<VisibleCalendar>> {
    return this.write(ctx, (w) => {
      const before = this.steps.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const calendar = changedCalendarRecord(w, before.calendar, change(before.calendar));
      this.rows.putCalendar(calendar);
      const after = { calendar, shares: before.shares };
      w.changes.push(...diffCalendar(before, after));
      return { calendar: after, level: 'owner' as const };
    });
  }

  deleteCalendar(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.steps.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const context = calendarContext(before);
      for (const eventId of this.rows.eventIdsOfCalendar(id)) {
        const snapshot = this.steps.snapshot(eventId);
        this.rows.deleteEvent(eventId);
        w.changes.push(...diffEvent(snapshot, { event: null, subscriptions: [] }, context, true));
      }
      this.rows.deleteCalendar(id);
      w.changes.push(...diffCalendar(before, null));
      return null;
    });
  }

  // --- shares ---

  listShares(viewer: string, calendarId: string): Promise<ShareRecord[]> {
    return this.read(() => this.reads.getCalendar(viewer, calendarId).calendar.shares);
  }

  putShare(
    ctx: WriteContext,
    calendarId: string,
    username: string,
    permission: Permission,
  ): Promise<Committed<{ share: ShareRecord; created: boolean }>> {
    return this.write(ctx, (w) => {
      const before = this.steps.ownedCalendar(ctx.actor, calendarId);
      checkShareTarget(before, username);
      const { share, created } = shareRecordToPut(w, before, username, permission);
      this.rows.putShare(share);
      this.steps.changeSubscriptionsForShare(w, before, username, permission);
      return { share, created };
    });
  }

  deleteShare(ctx: WriteContext, calendarId: string, username: string): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.steps.calendarOrThrow(calendarId);
      checkShareRemoval(before, ctx.actor, username);
      this.rows.deleteShare(calendarId, username);
      this.steps.changeSubscriptionsForShare(w, before, username, null);
      return null;
    });
  }

  // --- events ---

  createEvent(ctx: WriteContext, calendarId: string, data: EventData): Promise<Committed<VisibleEvent>> {
    return this.write(ctx, (w) => {
      const calendar = this.steps.writableCalendar(ctx.actor, calendarId);
      const event = this.steps.insertEvent(w, calendar, data);
      return this.steps.visibleTo(ctx.actor, event.id);
    });
  }

  getEvent(viewer: string, id: string): Promise<VisibleEvent> {
    return this.read(() => this.reads.getEvent(viewer, id));
  }

  listEvents(viewer: string, query: EventQuery): Promise<SyncList<VisibleEvent>> {
    return this.read(() => this.reads.listEvents(viewer, query));
  }

  updateEvent(
    ctx: WriteContext,
    id: string,
    change: (current: EventRecord) => EventData,
    pre: Precondition,
  ): Promise<Committed<VisibleEvent>> {
    return this.write(ctx, (w) => {
      const before = this.steps.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      this.steps.rewriteEvent(w, before, change(before.event));
      return this.steps.visibleTo(ctx.actor, id);
    });
  }

  deleteEvent(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.steps.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      this.rows.deleteEvent(id);
      w.changes.push(...diffEvent(before, { event: null, subscriptions: [] }, this.steps.contextOf(before.event.calendarId), true));
      return null;
    });
  }

  importEvents(ctx: WriteContext, calendarId: string, events: EventData[]): Promise<Committed<ImportResult>> {
    return this.write(ctx, (w) => {
      const calendar = this.steps.writableCalendar(ctx.actor, calendarId);
      const result: ImportResult = { created: [], updated: [] };
      for (const data of events) {
        const existing = this.rows.eventByUid(calendarId, data.uid);
        if (existing) result.updated.push(this.steps.rewriteEvent(w, this.steps.writableEvent(ctx.actor, existing.id), data).id);
        else result.created.push(this.steps.insertEvent(w, calendar, data).id);
      }
      return result;
    });
  }

  // --- event subscriptions ---

  inviteToEvent(ctx: WriteContext, eventId: string, username: string, permission: Permission): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, (w) => {
      const before = this.steps.writableEvent(ctx.actor, eventId);
      checkNotSubscribed(before, username);
      const sub = newSubscription(w, before.event, username, { invitePermission: permission });
      this.rows.putSubscription(sub);
      w.changes.push(...diffEvent(before, this.steps.snapshot(eventId), this.steps.contextOf(before.event.calendarId), false));
      return sub;
    });
  }

  getSubscription(viewer: string, id: string): Promise<SubscriptionRecord> {
    return this.read(() => this.reads.getSubscription(viewer, id));
  }

  listSubscriptions(viewer: string, query: SubscriptionQuery): Promise<SyncList<SubscriptionRecord>> {
    return this.read(() => this.reads.listSubscriptions(viewer, query));
  }

  updateSubscription(ctx: WriteContext, id: string, patch: SubscriptionPatch, pre: Precondition): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, (w) => {
      const { sub, before, actorWrites } = this.steps.subscriptionForActor(ctx.actor, id);
      checkSubscriptionPatch(sub, patch, ctx.actor, actorWrites);
      checkPrecondition(pre, sub.syncToken);
      const next = patchedSubscription(w, sub, patch);
      this.rows.putSubscription(next);
      w.changes.push(...diffEvent(before, this.steps.snapshot(sub.eventId), this.steps.contextOf(sub.calendarId), false));
      return next;
    });
  }

  deleteSubscription(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const { sub, before, actorWrites } = this.steps.subscriptionForActor(ctx.actor, id);
      checkInvitationWithdrawal(sub, ctx.actor, actorWrites);
      checkPrecondition(pre, sub.syncToken);
      this.steps.putOrDropSubscription(withdrawnInvitation(w, sub));
      w.changes.push(...diffEvent(before, this.steps.snapshot(sub.eventId), this.steps.contextOf(sub.calendarId), false));
      return null;
    });
  }
}
