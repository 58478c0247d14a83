// The steps the SQLite calendar store's writes are made of (storage/sqlite/calendar-store.ts): loading
// with the 404/403 checks of storage/calendar-write-checks.ts, event rows with their subscriptions (records
// from storage/calendar-write-records.ts), and the change entries each step produces from before/after
// snapshots. Every method runs synchronously inside the caller's better-sqlite3 transaction; the
// PostgreSQL store has the same steps, awaited.

import type { CalendarRows } from './calendar-store-rows.js';
import type { CalendarReads } from './calendar-store-reads.js';
import { subscriptionIsLive } from '../../calendar/model/permissions.js';
import { diffCalendar, diffEvent, type CalendarContext, type EventSnapshot } from '../../calendar/model/change-diff.js';
import { eventBounds } from '../../calendar/recurrence/expansion.js';
import type { CalendarWithShares, EventData, EventRecord, Permission, SubscriptionRecord, VisibleEvent } from '../../calendar/model/types.js';
import {
  actorWritesOrThrow,
  calendarOrThrow,
  checkMayAddEvents,
  checkOwnsCalendar,
  checkUidUnused,
  subscriptionOrThrow,
  writableEventOrThrow,
  type WritableEvent,
} from '../calendar-write-checks.js';
import {
  calendarContext,
  newEventRecord,
  newSubscription,
  rewrittenEventRecord,
  subscriptionWithShare,
  touchedCalendarRecord,
  type WriteScope,
} from '../calendar-write-records.js';

export class WriteSteps {
  constructor(
    private readonly rows: CalendarRows,
    private readonly reads: CalendarReads,
  ) {}

  calendarOrThrow(id: string): CalendarWithShares {
    return calendarOrThrow(this.rows.calendar(id), id);
  }

  ownedCalendar(actor: string, id: string): CalendarWithShares {
    const calendar = this.calendarOrThrow(id);
    checkOwnsCalendar(calendar, actor);
    return calendar;
  }

  /** A calendar the actor may add events to (404, then 403). */
  writableCalendar(actor: string, id: string): CalendarWithShares {
    const calendar = this.calendarOrThrow(id);
    checkMayAddEvents(calendar, actor);
    return calendar;
  }

  snapshot(eventId: string): EventSnapshot {
    const event = this.rows.event(eventId) ?? null;
    return { event, subscriptions: event ? this.rows.subscriptionsOfEvent(eventId) : [] };
  }

  /** The context of the calendar an event belongs to, read now. */
  contextOf(calendarId: string): CalendarContext {
    return calendarContext(this.rows.calendar(calendarId)!);
  }

  /** An event and the actor's write access to it (404, then 403). */
  writableEvent(actor: string, id: string): WritableEvent {
    return writableEventOrThrow(this.snapshot(id), actor, id);
  }

  /** After a share row changed: touch the calendar and bring the user's subscriptions to every event in line. */
  changeSubscriptionsForShare(w: WriteScope, before: CalendarWithShares, username: string, permission: Permission | null): void {
    const calendar = touchedCalendarRecord(w, before.calendar);
    this.rows.putCalendar(calendar);
    const after = { calendar, shares: this.rows.shares(calendar.id) };
    w.changes.push(...diffCalendar(before, after));
    const context = calendarContext(after, before.shares.length > 0);
    for (const eventId of this.rows.eventIdsOfCalendar(calendar.id)) {
      const snapshot = this.snapshot(eventId);
      const current = snapshot.subscriptions.find((s) => s.username === username);
      if (current?.sharePermission === permission) continue;
      this.putOrDropSubscription(subscriptionWithShare(w, current, snapshot.event!, username, permission));
      w.changes.push(...diffEvent(snapshot, this.snapshot(eventId), context, false));
    }
  }

  /** Keeps a subscription that still grants something, deletes one that no longer does. */
  putOrDropSubscription(next: SubscriptionRecord): void {
    if (subscriptionIsLive(next)) this.rows.putSubscription(next);
    else this.rows.deleteSubscription(next.id);
  }

  insertEvent(w: WriteScope, calendar: CalendarWithShares, data: EventData): EventRecord {
    checkUidUnused(this.rows.eventByUid(calendar.calendar.id, data.uid));
    const event = newEventRecord(w, calendar.calendar.id, data);
    this.rows.putEvent(event, eventBounds(event));
    this.rows.putSubscription(newSubscription(w, event, calendar.calendar.owner, { isOwner: true, rsvp: 'attending' }));
    for (const share of calendar.shares) {
      this.rows.putSubscription(newSubscription(w, event, share.username, { sharePermission: share.permission }));
    }
    w.changes.push(...diffEvent({ event: null, subscriptions: [] }, this.snapshot(event.id), calendarContext(calendar), true));
    return event;
  }

  rewriteEvent(w: WriteScope, before: WritableEvent, data: EventData): EventRecord {
    const event = rewrittenEventRecord(w, before.event, data);
    this.rows.putEvent(event, eventBounds(event));
    w.changes.push(...diffEvent(before, { event, subscriptions: before.subscriptions }, this.contextOf(event.calendarId), true));
    return event;
  }

  visibleTo(actor: string, eventId: string): VisibleEvent {
    return this.reads.eventFor(actor, eventId)!;
  }

  /** The subscription, its event's snapshot and whether the actor writes the event; 404 / 403 checks. */
  subscriptionForActor(actor: string, id: string): { sub: SubscriptionRecord; before: EventSnapshot; actorWrites: boolean } {
    const sub = subscriptionOrThrow(this.rows.subscription(id), id);
    const before = this.snapshot(sub.eventId);
    return { sub, before, actorWrites: actorWritesOrThrow(sub, before, actor) };
  }
}
