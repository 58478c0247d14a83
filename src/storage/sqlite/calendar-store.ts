// The CalendarStore (storage/calendar-store.ts) on the embedded SQLite database (DESIGN.md sections 3, 5).
// Each write is one better-sqlite3 transaction: bump the global sequence, check, write the rows with the
// new token, derive the affected users from before/after snapshots (calendar/model/change-diff.ts) and
// log them. A throw anywhere rolls all of it back, including the token.

import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from './database.js';
import { CALENDAR_MIGRATIONS } from './calendar-store-schema.js';
import { CalendarRows } from './calendar-store-rows.js';
import { CalendarReads } from './calendar-store-reads.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../calendar/model/errors.js';
import { calendarLevel, canWrite, subscriptionAudience, subscriptionLevel, subscriptionIsLive } from '../../calendar/model/permissions.js';
import { diffCalendar, diffEvent, eventWriters, type CalendarContext, type EventSnapshot } from '../../calendar/model/change-diff.js';
import { etagOf } from '../../calendar/model/views.js';
import { eventBounds } from '../../calendar/recurrence/expansion.js';
import { formatUtc } from '../../calendar/time/wall-clock.js';
import type {
  CalendarData,
  CalendarRecord,
  CalendarWithShares,
  ChangeEntry,
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
  SubscriptionPatch,
  SubscriptionQuery,
  SyncList,
  WriteContext,
} from '../calendar-store.js';

/** What a write body gets: the token and time of its commit, and the list its changes go to. */
interface WriteScope {
  token: number;
  modified: string;
  changes: ChangeEntry[];
}

function checkPrecondition(pre: Precondition, syncToken: number, sequence?: number): void {
  const etag = etagOf(syncToken);
  if (pre.etags && !pre.etags.includes('*') && !pre.etags.includes(etag)) throw new PreconditionFailedError(etag);
  if (pre.sequence !== undefined && sequence !== undefined && pre.sequence !== sequence) {
    throw new ConflictError('sequence', `the event is at sequence ${sequence}, not ${pre.sequence}`);
  }
}

function eventFields(data: EventData): EventData {
  const { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides } = data;
  return { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides };
}

export class SqliteCalendarStore implements CalendarStore {
  private readonly rows: CalendarRows;
  private readonly reads: CalendarReads;

  constructor(private readonly database: SqliteDatabase) {
    database.migrate('calendar', CALENDAR_MIGRATIONS);
    this.rows = new CalendarRows(database.db);
    this.reads = new CalendarReads(this.rows);
  }

  private write<T>(ctx: WriteContext, body: (w: WriteScope) => T): Promise<Committed<T>> {
    try {
      return Promise.resolve(
        this.database.transaction(() => {
          const scope: WriteScope = { token: this.rows.nextToken(), modified: formatUtc(ctx.now.getTime()), changes: [] };
          const value = body(scope);
          for (const change of scope.changes) this.rows.recordChange(scope.token, change, ctx.actor, scope.modified);
          return { syncToken: scope.token, modified: scope.modified, value, changes: scope.changes };
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

  private calendarOrThrow(id: string): CalendarWithShares {
    const calendar = this.rows.calendar(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  private ownedCalendar(actor: string, id: string): CalendarWithShares {
    const calendar = this.calendarOrThrow(id);
    const level = calendarLevel(calendar, actor);
    if (level === null) throw new ForbiddenError('the calendar is not shared with you');
    if (level !== 'owner') throw new ForbiddenError('only the owner of the calendar may do this');
    return calendar;
  }

  private snapshot(eventId: string): EventSnapshot {
    const event = this.rows.event(eventId) ?? null;
    return { event, subscriptions: event ? this.rows.subscriptionsOfEvent(eventId) : [] };
  }

  private context(calendar: CalendarWithShares, sharedBefore = false): CalendarContext {
    return {
      calendarId: calendar.calendar.id,
      calendarTimezone: calendar.calendar.timezone,
      sharedCalendar: sharedBefore || calendar.shares.length > 0,
    };
  }

  /** An event and the actor's write access to it (404, then 403). */
  private writableEvent(actor: string, id: string): EventSnapshot & { event: EventRecord } {
    const before = this.snapshot(id);
    if (!before.event) throw new NotFoundError('event', id);
    const mine = before.subscriptions.find((s) => s.username === actor);
    const level = mine && subscriptionLevel(mine);
    if (!level) throw new ForbiddenError('you are not subscribed to this event');
    if (!canWrite(level)) throw new ForbiddenError('you may only read this event');
    return before as EventSnapshot & { event: EventRecord };
  }

  currentSyncToken(): Promise<number> {
    return this.read(() => this.rows.currentToken());
  }

  // --- calendars ---

  createCalendar(ctx: WriteContext, data: CalendarData): Promise<Committed<VisibleCalendar>> {
    return this.write(ctx, (w) => {
      const calendar: CalendarRecord = {
        id: randomUUID(),
        owner: ctx.actor,
        title: data.title,
        color: data.color,
        timezone: data.timezone,
        description: data.description,
        created: w.modified,
        modified: w.modified,
        syncToken: w.token,
      };
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
      const before = this.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const { title, color, timezone, description } = change(before.calendar);
      const calendar = { ...before.calendar, title, color, timezone, description, modified: w.modified, syncToken: w.token };
      this.rows.putCalendar(calendar);
      const after = { calendar, shares: before.shares };
      w.changes.push(...diffCalendar(before, after));
      return { calendar: after, level: 'owner' as const };
    });
  }

  deleteCalendar(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.ownedCalendar(ctx.actor, id);
      checkPrecondition(pre, before.calendar.syncToken);
      const context = this.context(before);
      for (const eventId of this.rows.eventIdsOfCalendar(id)) {
        const snapshot = this.snapshot(eventId);
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
      const before = this.ownedCalendar(ctx.actor, calendarId);
      if (username === before.calendar.owner) throw new ValidationError('user', 'the owner already has the calendar');
      const existing = before.shares.find((s) => s.username === username);
      const share: ShareRecord = { calendarId, username, permission, created: existing?.created ?? w.modified, modified: w.modified };
      this.rows.putShare(share);
      this.changeSubscriptionsForShare(w, before, username, permission);
      return { share, created: existing === undefined };
    });
  }

  deleteShare(ctx: WriteContext, calendarId: string, username: string): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.calendarOrThrow(calendarId);
      const level = calendarLevel(before, ctx.actor);
      // The owner revokes a share; a sharee may also leave the calendar.
      if (level !== 'owner' && !(level !== null && ctx.actor === username)) {
        throw new ForbiddenError(level === null ? 'the calendar is not shared with you' : 'only the owner of the calendar may do this');
      }
      if (!before.shares.some((s) => s.username === username)) throw new NotFoundError('share', username);
      this.rows.deleteShare(calendarId, username);
      this.changeSubscriptionsForShare(w, before, username, null);
      return null;
    });
  }

  /** After a share row changed: touch the calendar and bring the user's subscriptions to every event in line. */
  private changeSubscriptionsForShare(w: WriteScope, before: CalendarWithShares, username: string, permission: Permission | null): void {
    const calendar = { ...before.calendar, modified: w.modified, syncToken: w.token };
    this.rows.putCalendar(calendar);
    const after = { calendar, shares: this.rows.shares(calendar.id) };
    w.changes.push(...diffCalendar(before, after));
    const context = this.context(after, before.shares.length > 0);
    for (const eventId of this.rows.eventIdsOfCalendar(calendar.id)) {
      const snapshot = this.snapshot(eventId);
      const current = snapshot.subscriptions.find((s) => s.username === username);
      if (current?.sharePermission === permission) continue;
      const next: SubscriptionRecord = current
        ? { ...current, sharePermission: permission, modified: w.modified, syncToken: w.token }
        : this.newSubscription(w, snapshot.event!, username, { sharePermission: permission });
      if (subscriptionIsLive(next)) this.rows.putSubscription(next);
      else this.rows.deleteSubscription(next.id);
      w.changes.push(...diffEvent(snapshot, this.snapshot(eventId), context, false));
    }
  }

  private newSubscription(w: WriteScope, event: EventRecord, username: string, grant: Partial<SubscriptionRecord>): SubscriptionRecord {
    return {
      id: randomUUID(),
      eventId: event.id,
      calendarId: event.calendarId,
      username,
      isOwner: false,
      sharePermission: null,
      invitePermission: null,
      rsvp: 'not_replied',
      created: w.modified,
      modified: w.modified,
      syncToken: w.token,
      ...grant,
    };
  }

  // --- events ---

  private insertEvent(w: WriteScope, calendar: CalendarWithShares, data: EventData): EventRecord {
    if (this.rows.eventByUid(calendar.calendar.id, data.uid)) {
      throw new ConflictError('uid', 'an event with this uid already exists in the calendar');
    }
    const event: EventRecord = {
      ...eventFields(data),
      id: randomUUID(),
      calendarId: calendar.calendar.id,
      created: w.modified,
      modified: w.modified,
      sequence: 0,
      syncToken: w.token,
    };
    this.rows.putEvent(event, eventBounds(event));
    this.rows.putSubscription(this.newSubscription(w, event, calendar.calendar.owner, { isOwner: true, rsvp: 'attending' }));
    for (const share of calendar.shares) {
      this.rows.putSubscription(this.newSubscription(w, event, share.username, { sharePermission: share.permission }));
    }
    w.changes.push(...diffEvent({ event: null, subscriptions: [] }, this.snapshot(event.id), this.context(calendar), true));
    return event;
  }

  private rewriteEvent(w: WriteScope, before: EventSnapshot & { event: EventRecord }, data: EventData): EventRecord {
    const event: EventRecord = {
      ...before.event,
      ...eventFields(data),
      uid: before.event.uid,
      modified: w.modified,
      sequence: before.event.sequence + 1,
      syncToken: w.token,
    };
    this.rows.putEvent(event, eventBounds(event));
    const calendar = this.rows.calendar(event.calendarId)!;
    w.changes.push(...diffEvent(before, { event, subscriptions: before.subscriptions }, this.context(calendar), true));
    return event;
  }

  private visibleTo(actor: string, eventId: string): VisibleEvent {
    return this.reads.eventFor(actor, eventId)!;
  }

  createEvent(ctx: WriteContext, calendarId: string, data: EventData): Promise<Committed<VisibleEvent>> {
    return this.write(ctx, (w) => {
      const calendar = this.calendarOrThrow(calendarId);
      const level = calendarLevel(calendar, ctx.actor);
      if (level === null) throw new ForbiddenError('the calendar is not shared with you');
      if (!canWrite(level)) throw new ForbiddenError('the calendar is shared with you read-only');
      const event = this.insertEvent(w, calendar, data);
      return this.visibleTo(ctx.actor, event.id);
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
      const before = this.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      this.rewriteEvent(w, before, change(before.event));
      return this.visibleTo(ctx.actor, id);
    });
  }

  deleteEvent(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const before = this.writableEvent(ctx.actor, id);
      checkPrecondition(pre, before.event.syncToken, before.event.sequence);
      this.rows.deleteEvent(id);
      const calendar = this.rows.calendar(before.event.calendarId)!;
      w.changes.push(...diffEvent(before, { event: null, subscriptions: [] }, this.context(calendar), true));
      return null;
    });
  }

  importEvents(ctx: WriteContext, calendarId: string, events: EventData[]): Promise<Committed<ImportResult>> {
    return this.write(ctx, (w) => {
      const calendar = this.calendarOrThrow(calendarId);
      const level = calendarLevel(calendar, ctx.actor);
      if (level === null) throw new ForbiddenError('the calendar is not shared with you');
      if (!canWrite(level)) throw new ForbiddenError('the calendar is shared with you read-only');
      const result: ImportResult = { created: [], updated: [] };
      for (const data of events) {
        const existing = this.rows.eventByUid(calendarId, data.uid);
        if (existing) result.updated.push(this.rewriteEvent(w, this.writableEvent(ctx.actor, existing.id), data).id);
        else result.created.push(this.insertEvent(w, calendar, data).id);
      }
      return result;
    });
  }

  // --- event subscriptions ---

  inviteToEvent(ctx: WriteContext, eventId: string, username: string, permission: Permission): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, (w) => {
      const before = this.writableEvent(ctx.actor, eventId);
      if (before.subscriptions.some((s) => s.username === username)) {
        throw new ConflictError('user', 'the user is already subscribed to this event');
      }
      const sub = this.newSubscription(w, before.event, username, { invitePermission: permission });
      this.rows.putSubscription(sub);
      const calendar = this.rows.calendar(before.event.calendarId)!;
      w.changes.push(...diffEvent(before, this.snapshot(eventId), this.context(calendar), false));
      return sub;
    });
  }

  getSubscription(viewer: string, id: string): Promise<SubscriptionRecord> {
    return this.read(() => this.reads.getSubscription(viewer, id));
  }

  listSubscriptions(viewer: string, query: SubscriptionQuery): Promise<SyncList<SubscriptionRecord>> {
    return this.read(() => this.reads.listSubscriptions(viewer, query));
  }

  /** The subscription, its event's snapshot and whether the actor writes the event; 404 / 403 checks. */
  private subscriptionForActor(actor: string, id: string): { sub: SubscriptionRecord; before: EventSnapshot; actorWrites: boolean } {
    const sub = this.rows.subscription(id);
    if (!sub) throw new NotFoundError('event_subscription', id);
    const before = this.snapshot(sub.eventId);
    const writers = eventWriters(before.subscriptions);
    if (!subscriptionAudience(sub, writers).has(actor)) throw new ForbiddenError('this subscription is not yours');
    return { sub, before, actorWrites: writers.includes(actor) };
  }

  updateSubscription(ctx: WriteContext, id: string, patch: SubscriptionPatch, pre: Precondition): Promise<Committed<SubscriptionRecord>> {
    return this.write(ctx, (w) => {
      const { sub, before, actorWrites } = this.subscriptionForActor(ctx.actor, id);
      if (patch.rsvp !== undefined && sub.username !== ctx.actor) {
        throw new ForbiddenError('only the subscribed user answers for themselves');
      }
      if (patch.permission !== undefined) {
        if (!actorWrites) throw new ForbiddenError('only a writer of the event changes permissions');
        if (sub.invitePermission === null) {
          throw new ConflictError('permission', 'this subscription comes from the calendar; change the calendar share instead');
        }
      }
      checkPrecondition(pre, sub.syncToken);
      const next: SubscriptionRecord = {
        ...sub,
        rsvp: patch.rsvp ?? sub.rsvp,
        invitePermission: patch.permission ?? sub.invitePermission,
        modified: w.modified,
        syncToken: w.token,
      };
      this.rows.putSubscription(next);
      const calendar = this.rows.calendar(sub.calendarId)!;
      w.changes.push(...diffEvent(before, this.snapshot(sub.eventId), this.context(calendar), false));
      return next;
    });
  }

  deleteSubscription(ctx: WriteContext, id: string, pre: Precondition): Promise<Committed<null>> {
    return this.write(ctx, (w) => {
      const { sub, before, actorWrites } = this.subscriptionForActor(ctx.actor, id);
      if (sub.username !== ctx.actor && !actorWrites) throw new ForbiddenError('only the invitee or a writer of the event withdraws an invitation');
      if (sub.invitePermission === null) {
        throw new ConflictError('source', 'this subscription comes from the calendar; remove the calendar share instead');
      }
      checkPrecondition(pre, sub.syncToken);
      const next = { ...sub, invitePermission: null, modified: w.modified, syncToken: w.token };
      if (subscriptionIsLive(next)) this.rows.putSubscription(next);
      else this.rows.deleteSubscription(id);
      const calendar = this.rows.calendar(sub.calendarId)!;
      w.changes.push(...diffEvent(before, this.snapshot(sub.eventId), this.context(calendar), false));
      return null;
    });
  }
}
