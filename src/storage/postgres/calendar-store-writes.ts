// The steps the PostgreSQL calendar store's writes are made of (postgres/calendar-store.ts): loading with
// the 404/403 checks of storage/calendar-write-checks.ts, event rows with their subscriptions (records from
// storage/calendar-write-records.ts), and the change entries each step produces from before/after
// snapshots (calendar/model/change-diff.ts). Every method runs inside the caller's transaction; the same
// steps as the SQLite store's, awaited, so both pass one contract suite.

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

  async calendarOrThrow(id: string): Promise<CalendarWithShares> {
    return calendarOrThrow(await this.rows.calendar(id), id);
  }

  async ownedCalendar(actor: string, id: string): Promise<CalendarWithShares> {
    const calendar = await this.calendarOrThrow(id);
    checkOwnsCalendar(calendar, actor);
    return calendar;
  }

  /** A calendar the actor may add events to (404, then 403). */
  async writableCalendar(actor: string, id: string): Promise<CalendarWithShares> {
    const calendar = await this.calendarOrThrow(id);
    checkMayAddEvents(calendar, actor);
    return calendar;
  }

  async snapshot(eventId: string): Promise<EventSnapshot> {
    const event = (await this.rows.event(eventId)) ?? null;
    return { event, subscriptions: event ? await this.rows.subscriptionsOfEvent(eventId) : [] };
  }

  /** The context of the calendar an event belongs to, read now. */
  async contextOf(calendarId: string): Promise<CalendarContext> {
    return calendarContext((await this.rows.calendar(calendarId))!);
  }

  /** An event and the actor's write access to it (404, then 403). */
  async writableEvent(actor: string, id: string): Promise<WritableEvent> {
    return writableEventOrThrow(await this.snapshot(id), actor, id);
  }

  /** After a share row changed: touch the calendar and bring the user's subscriptions to every event in line. */
  async changeSubscriptionsForShare(w: WriteScope, before: CalendarWithShares, username: string, permission: Permission | null): Promise<void> {
    const calendar = touchedCalendarRecord(w, before.calendar);
    await this.rows.putCalendar(calendar);
    const after = { calendar, shares: await this.rows.shares(calendar.id) };
    w.changes.push(...diffCalendar(before, after));
    const context = calendarContext(after, before.shares.length > 0);
    for (const eventId of await this.rows.eventIdsOfCalendar(calendar.id)) {
      const snapshot = await this.snapshot(eventId);
      const current = snapshot.subscriptions.find((s) => s.username === username);
      if (current?.sharePermission === permission) continue;
      await this.putOrDropSubscription(subscriptionWithShare(w, current, snapshot.event!, username, permission));
      w.changes.push(...diffEvent(snapshot, await this.snapshot(eventId), context, false));
    }
  }

  /** Keeps a subscription that still grants something, deletes one that no longer does. */
  async putOrDropSubscription(next: SubscriptionRecord): Promise<void> {
    if (subscriptionIsLive(next)) await this.rows.putSubscription(next);
    else await this.rows.deleteSubscription(next.id);
  }

  async insertEvent(w: WriteScope, calendar: CalendarWithShares, data: EventData): Promise<EventRecord> {
    checkUidUnused(await this.rows.eventByUid(calendar.calendar.id, data.uid));
    const event = newEventRecord(w, calendar.calendar.id, data);
    await this.rows.putEvent(event, eventBounds(event));
    await this.rows.putSubscription(newSubscription(w, event, calendar.calendar.owner, { isOwner: true, rsvp: 'attending' }));
    for (const share of calendar.shares) {
      await this.rows.putSubscription(newSubscription(w, event, share.username, { sharePermission: share.permission }));
    }
    w.changes.push(...diffEvent({ event: null, subscriptions: [] }, await this.snapshot(event.id), calendarContext(calendar), true));
    return event;
  }

  async rewriteEvent(w: WriteScope, before: WritableEvent, data: EventData): Promise<EventRecord> {
    const event = rewrittenEventRecord(w, before.event, data);
    await this.rows.putEvent(event, eventBounds(event));
    w.changes.push(...diffEvent(before, { event, subscriptions: before.subscriptions }, await this.contextOf(event.calendarId), true));
    return event;
  }

  async visibleTo(actor: string, eventId: string): Promise<VisibleEvent> {
    return (await this.reads.eventFor(actor, eventId))!;
  }

  /** The subscription, its event's snapshot and whether the actor writes the event; 404 / 403 checks. */
  async subscriptionForActor(actor: string, id: string): Promise<{ sub: SubscriptionRecord; before: EventSnapshot; actorWrites: boolean }> {
    const sub = subscriptionOrThrow(await this.rows.subscription(id), id);
    const before = await this.snapshot(sub.eventId);
    return { sub, before, actorWrites: actorWritesOrThrow(sub, before, actor) };
  }
}
