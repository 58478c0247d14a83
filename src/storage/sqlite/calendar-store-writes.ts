// The steps the SQLite calendar store's writes are made of (storage/sqlite/calendar-store.ts): loading
// with 404/403 checks, preconditions (RFC 9110 section 13.1.1 If-Match, RFC 5545 SEQUENCE), event rows with
// their subscriptions, and the change entries each step produces from before/after snapshots. Every
// method runs inside the caller's transaction.

import { randomUUID } from 'node:crypto';
import type { CalendarRows } from './calendar-store-rows.js';
import type { CalendarReads } from './calendar-store-reads.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../../calendar/model/errors.js';
import { calendarLevel, canWrite, subscriptionAudience, subscriptionLevel, subscriptionIsLive } from '../../calendar/model/permissions.js';
import { diffCalendar, diffEvent, eventWriters, type CalendarContext, type EventSnapshot } from '../../calendar/model/change-diff.js';
import { etagOf } from '../../calendar/model/views.js';
import { eventBounds } from '../../calendar/recurrence/expansion.js';
import type {
  CalendarWithShares,
  ChangeEntry,
  EventData,
  EventRecord,
  Permission,
  SubscriptionRecord,
  VisibleEvent,
} from '../../calendar/model/types.js';
import type { Precondition } from '../calendar-store.js';

/** What a write body gets: the token and time of its commit, and the list its changes go to. */
export interface WriteScope {
  token: number;
  modified: string;
  changes: ChangeEntry[];
}

export function checkPrecondition(pre: Precondition, syncToken: number, sequence?: number): void {
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

export class WriteSteps {
  constructor(
    private readonly rows: CalendarRows,
    private readonly reads: CalendarReads,
  ) {}

  calendarOrThrow(id: string): CalendarWithShares {
    const calendar = this.rows.calendar(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  ownedCalendar(actor: string, id: string): CalendarWithShares {
    const calendar = this.calendarOrThrow(id);
    const level = calendarLevel(calendar, actor);
    if (level === null) throw new ForbiddenError('the calendar is not shared with you');
    if (level !== 'owner') throw new ForbiddenError('only the owner of the calendar may do this');
    return calendar;
  }

  snapshot(eventId: string): EventSnapshot {
    const event = this.rows.event(eventId) ?? null;
    return { event, subscriptions: event ? this.rows.subscriptionsOfEvent(eventId) : [] };
  }

  context(calendar: CalendarWithShares, sharedBefore = false): CalendarContext {
    return {
      calendarId: calendar.calendar.id,
      calendarTimezone: calendar.calendar.timezone,
      sharedCalendar: sharedBefore || calendar.shares.length > 0,
    };
  }

  /** An event and the actor's write access to it (404, then 403). */
  writableEvent(actor: string, id: string): EventSnapshot & { event: EventRecord } {
    const before = this.snapshot(id);
    if (!before.event) throw new NotFoundError('event', id);
    const mine = before.subscriptions.find((s) => s.username === actor);
    const level = mine && subscriptionLevel(mine);
    if (!level) throw new ForbiddenError('you are not subscribed to this event');
    if (!canWrite(level)) throw new ForbiddenError('you may only read this event');
    return before as EventSnapshot & { event: EventRecord };
  }

  /** After a share row changed: touch the calendar and bring the user's subscriptions to every event in line. */
  changeSubscriptionsForShare(w: WriteScope, before: CalendarWithShares, username: string, permission: Permission | null): void {
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

  newSubscription(w: WriteScope, event: EventRecord, username: string, grant: Partial<SubscriptionRecord>): SubscriptionRecord {
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

  insertEvent(w: WriteScope, calendar: CalendarWithShares, data: EventData): EventRecord {
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

  rewriteEvent(w: WriteScope, before: EventSnapshot & { event: EventRecord }, data: EventData): EventRecord {
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

  visibleTo(actor: string, eventId: string): VisibleEvent {
    return this.reads.eventFor(actor, eventId)!;
  }

  /** The subscription, its event's snapshot and whether the actor writes the event; 404 / 403 checks. */
  subscriptionForActor(actor: string, id: string): { sub: SubscriptionRecord; before: EventSnapshot; actorWrites: boolean } {
    const sub = this.rows.subscription(id);
    if (!sub) throw new NotFoundError('event_subscription', id);
    const before = this.snapshot(sub.eventId);
    const writers = eventWriters(before.subscriptions);
    if (!subscriptionAudience(sub, writers).has(actor)) throw new ForbiddenError('this subscription is not yours');
    return { sub, before, actorWrites: writers.includes(actor) };
  }
}
