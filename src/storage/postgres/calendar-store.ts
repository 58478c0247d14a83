// The CalendarStore (storage/calendar-store.ts) on PostgreSQL (DESIGN.md sections 3, 5). Each write is
// one transaction whose first statement takes the next token from the single-row sequence, which locks
// that row until COMMIT: writers in every process sharing the database take turns, a token is never
// reused, and token N+1 cannot become visible before token N. Then it checks, writes its rows stamped
// with the token, derives the affected users from before/after snapshots and logs them; a throw anywhere
// rolls all of it back, the token included. Reads run in one REPEATABLE READ snapshot each. The promise
// of a write resolves only after COMMIT, so a change published to the feed is already durable.

import type { PostgresDatabase } from './database.js';
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

export class PostgresCalendarStore implements CalendarStore {
  private constructor(private readonly database: PostgresDatabase) {}

  static async open(database: PostgresDatabase): Promise<PostgresCalendarStore> {
    await database.migrate('calendar', CALENDAR_MIGRATIONS);
    return new PostgresCalendarStore(database);
  }

  private write<T>(ctx: WriteContext, body: (w: WriteScope, steps: WriteSteps, rows: CalendarRows) => Promise<T>): Promise<Committed<T>> {
    return this.database.transaction(async (sql) => {
      const rows = new CalendarRows(sql);
      const steps = new WriteSteps(rows, new CalendarReads(rows));
      const scope = openWriteScope(await rows.nextToken(), ctx);
      const value = await body(scope, steps, rows);
      for (const change of scope.changes) await rows.recordChange(scope.token, change, ctx.actor, scope.modified);
      return committed(scope, value);
    });
  }

  /** A list and its sync token come from one snapshot. */
  private read<T>(body: (reads: CalendarReads, rows: CalendarRows) => Promise<T>): Promise<T> {
    return this.database.transaction(
      async (sql) => {
        const rows = new CalendarRows(sql);
        return body(new CalendarReads(rows), rows);
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  }

  currentSyncToken(): Promise<number> {
    return this.read((_, rows) => rows.currentToken());
  }

  oldestSyncToken(): Promise<number> {
    return this.read(async (_, rows) => (await rows.tokenBounds()).oldest);
  }

  pruneChangeLog(before: Date, options?: PruneOptions): Promise<PruneResult> {
    // Each step is a transaction of its own, so batches interleave with requests and other processes.
    const steps = {
      raiseOldest: (beforeUtc: string) => this.database.transaction((sql) => new ChangeLogRows(sql).raiseOldest(beforeUtc)),
      deleteBatch: (through: number, limit: number) => this.database.transaction((sql) => new ChangeLogRows(sql).deleteBatch(through, limit)),
    };
    return pruneChangeLogInBatches(steps, before, options);
  }

  // --- calendars ---

  createCalendar(ctx: WriteContext, data: CalendarData): Promise<Committed<VisibleCalendar>> {
    return this.write(ctx, async (w, _, rows) => {
      const calendar = newCalendarRecord(w, ctx.actor, data);
      await rows.putCalendar(calendar);
      const after = { calendar, shares: [] };
      w.changes.push(...diffCalendar(null, after));
      return { calendar: after, level: 'owner' as const };
    });
  }

  getCalendar(viewer: string, id: string): Promise<VisibleCalendar> {
    return this.read((reads) => reads.getCalendar(viewer, id));
  }

  listCalendars(viewer: string, query: CalendarQuery): Promise<SyncList<VisibleCalendar>> {
    return this.read((reads) => reads.listCalendars(viewer, query));
  }

  updateCalendar(
    ctx: WriteContext,
    id: string,
    change: (current: CalendarRecord) => CalendarData,
    pre: Precondition,
  ): Promise<Committed<VisibleCalendar>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const calendar = changedCalendarRecord(w, before.calendar, change(before.calendar));
      await rows.putCalendar(calendar);
      const after = { calendar, shares: before.shares };
      w.changes.push(...diffCalendar(before, after));
      return { calendar: after, level: 'owner' as const };
    });
  }

  deleteCalendar(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const context = calendarContext(before);
      for (const eventId of await rows.eventIdsOfCalendar(id)) {
        const snapshot = await steps.snapshot(eventId);
        await rows.deleteEvent(eventId);
        w.changes.push(...diffEvent(snapshot, { event: null, subscriptions: [] }, context, true));
      }
      await rows.deleteCalendar(id);
      w.changes.push(...diffCalendar(before, null));
      return null;
    });
  }

  // --- shares ---

  listShares(viewer: string, calendarId: string): Promise<ShareRecord[]> {
    return this.read(async (reads) => (await reads.getCalendar(viewer, calendarId)).calendar.shares);
  }

  putShare(
    ctx: WriteContext,
    calendarId: string,
    username: string,
    permission: Permission,
  ): Promise<Committed<{ share: ShareRecord; created: boolean }>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.ownedCalendar(ctx.actor, calendarId);
      checkShareTarget(before, username);
      const { share, created } = shareRecordToPut(w, before, username, permission);
      await rows.putShare(share);
      await steps.changeSubscriptionsForShare(w, before, username, permission);
      return { share, created };
    });
  }

  deleteShare(ctx: WriteContext, calendarId: string, username: string): Promise<Committed<null>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.calendarOrThrow(calendarId);
      checkShareRemoval(before, ctx.actor, username);
      await rows.deleteShare(calendarId, username);
      await steps.changeSubscriptionsForShare(w, before, username, null);
      return null;
    });
  }

  // --- events ---

  createEvent(ctx: WriteContext, calendarId: string, data: EventData): Promise<Committed<VisibleEvent>> {
    return this.write(ctx, async (w, steps) => {
      const calendar = await steps.writableCalendar(ctx.actor, calendarId);
      const event = await steps.insertEvent(w, calendar, data);
      return steps.visibleTo(ctx.actor, event.id);
    });
  }

  getEvent(viewer: string, id: string): Promise<VisibleEvent> {
    return this.read((reads) => reads.getEvent(viewer, id));
  }

  listEvents(viewer: string, query: EventQuery): Promise<SyncList<VisibleEvent>> {
    return this.read((reads) => reads.listEvents(viewer, query));
  }

  updateEvent(
    ctx: WriteContext,
    id: string,
    change: (current: EventRecord) => EventData,
    pre: Precondition,
  ): Promise<Committed<VisibleEvent>> {
    return this.write(ctx, async (w, steps) => {
      const before = await steps.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      await steps.rewriteEvent(w, before, change(before.event));
      return steps.visibleTo(ctx.actor, id);
    });
  }

  deleteEvent(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      await rows.deleteEvent(id);
      w.changes.push(...diffEvent(before, { event: null, subscriptions: [] }, await steps.contextOf(before.event.calendarId), true));
      return null;
    });
  }

  importEvents(ctx: WriteContext, calendarId: string, events: EventData[]): Promise<Committed<ImportResult>> {
    return this.write(ctx, async (w, steps, rows) => {
      const calendar = await steps.writableCalendar(ctx.actor, calendarId);
      const result: ImportResult = { created: [], updated: [] };
      for (const data of events) {
        const existing = await rows.eventByUid(calendarId, data.uid);
        if (existing) result.updated.push((await steps.rewriteEvent(w, await steps.writableEvent(ctx.actor, existing.id), data)).id);
        else result.created.push((await steps.insertEvent(w, calendar, data)).id);
      }
      return result;
    });
  }

  // --- event subscriptions ---

  inviteToEvent(ctx: WriteContext, eventId: string, username: string, permission: Permission): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, async (w, steps, rows) => {
      const before = await steps.writableEvent(ctx.actor, eventId);
      checkNotSubscribed(before, username);
      const sub = newSubscription(w, before.event, username, { invitePermission: permission });
      await rows.putSubscription(sub);
      w.changes.push(...diffEvent(before, await steps.snapshot(eventId), await steps.contextOf(before.event.calendarId), false));
      return sub;
    });
  }

  getSubscription(viewer: string, id: string): Promise<SubscriptionRecord> {
    return this.read((reads) => reads.getSubscription(viewer, id));
  }

  listSubscriptions(viewer: string, query: SubscriptionQuery): Promise<SyncList<SubscriptionRecord>> {
    return this.read((reads) => reads.listSubscriptions(viewer, query));
  }

  updateSubscription(ctx: WriteContext, id: string, patch: SubscriptionPatch, pre: Precondition): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, async (w, steps, rows) => {
      const { sub, before, actorWrites } = await steps.subscriptionForActor(ctx.actor, id);
      checkSubscriptionPatch(sub, patch, ctx.actor, actorWrites);
      checkPrecondition(pre, sub.syncToken);
      const next = patchedSubscription(w, sub, patch);
      await rows.putSubscription(next);
      w.changes.push(...diffEvent(before, await steps.snapshot(sub.eventId), await steps.contextOf(sub.calendarId), false));
      return next;
    });
  }

  deleteSubscription(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, async (w, steps) => {
      const { sub, before, actorWrites } = await steps.subscriptionForActor(ctx.actor, id);
      checkInvitationWithdrawal(sub, ctx.actor, actorWrites);
      checkPrecondition(pre, sub.syncToken);
      await steps.putOrDropSubscription(withdrawnInvitation(w, sub));
      w.changes.push(...diffEvent(before, await steps.snapshot(sub.eventId), await steps.contextOf(sub.calendarId), false));
      return null;
    });
  }
}
