// The steps the PostgreSQL calendar store's writes are made of (postgres/calendar-store.ts): loading with
// 404/403 checks, preconditions (RFC 9110 section 13.1.1 If-Match, RFC 5545 SEQUENCE), event rows with
// their subscriptions, and the change entries each step produces from before/after snapshots
// (calendar/model/change-diff.ts). Every method runs inside the caller's transaction; the same steps as
// the SQLite store's, so both pass one contract suite.

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

export type WritableEvent = EventSnapshot & { event: EventRecord };

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
    readonly rows: CalendarRows,
    private readonly reads: CalendarReads,
  ) {}

  async calendarOrThrow(id: string): Promise<CalendarWithShares> {
    const calendar = await this.rows.calendar(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  async ownedCalendar(actor: string, id: string): Promise<CalendarWithShares> {
    const calendar = await this.calendarOrThrow(id);
    const level = calendarLevel(calendar, actor);
    if (level === null) throw new ForbiddenError('the calendar is not shared with you');
    if (level !== 'owner') throw new ForbiddenError('only the owner of the calendar may do this');
    return calendar;
  }

  /** A calendar the actor may add events to (404, then 403). */
  async writableCalendar(actor: string, id: string): Promise<CalendarWithShares> {
    const calendar = await this.calendarOrThrow(id);
    const level = calendarLevel(calendar, actor);
    if (level === null) throw new ForbiddenError('the calendar is not shared with you');
    if (!canWrite(level)) throw new ForbiddenError('the calendar is shared with you read-only');
    return calendar;
  }

  async snapshot(eventId: string): Promise<EventSnapshot> {
    const event = (await this.rows.event(eventId)) ?? null;
    return { event, subscriptions: event ? await this.rows.subscriptionsOfEvent(eventId) : [] };
  }

  context(calendar: CalendarWithShares, sharedBefore = false): CalendarContext {
    return {
      calendarId: calendar.calendar.id,
      calendarTimezone: calendar.calendar.timezone,
      sharedCalendar: sharedBefore || calendar.shares.length > 0,
    };
  }

  /** The context of the calendar an event belongs to, read now. */
  async contextOf(calendarId: string): Promise<CalendarContext> {
    return this.context((await this.rows.calendar(calendarId))!);
  }

  /** An event and the actor's write access to it (404, then 403). */
  async writableEvent(actor: string, id: string): Promise<WritableEvent> {
    const before = await this.snapshot(id);
    if (!before.event) throw new NotFoundError('event', id);
    const mine = before.subscriptions.find((s) => s.username === actor);
    const level = mine && subscriptionLevel(mine);
    if (!level) throw new ForbiddenError('you are not subscribed to this event');
    if (!canWrite(level)) throw new ForbiddenError('you may only read this event');
    return before as WritableEvent;
  }

  /** After a share row changed: touch the calendar and bring the user's subscriptions to every event in line. */
  async changeSubscriptionsForShare(w: WriteScope, before: CalendarWithShares, username: string, permission: Permission | null): Promise<void> {
    const calendar = { ...before.calendar, modified: w.modified, syncToken: w.token };
    await this.rows.putCalendar(calendar);
    const after = { calendar, shares: await this.rows.shares(calendar.id) };
    w.changes.push(...diffCalendar(before, after));
    const context = this.context(after, before.shares.length > 0);
    for (const eventId of await this.rows.eventIdsOfCalendar(calendar.id)) {
      const snapshot = await this.snapshot(eventId);
      const current = snapshot.subscriptions.find((s) => s.username === username);
      if (current?.sharePermission === permission) continue;
      const next: SubscriptionRecord = current
        ? { ...current, sharePermission: permission, modified: w.modified, syncToken: w.token }
        : this.newSubscription(w, snapshot.event!, username, { sharePermission: permission });
      await this.putOrDropSubscription(next);
      w.changes.push(...diffEvent(snapshot, await this.snapshot(eventId), context, false));
    }
  }

  /** Keeps a subscription that still grants something, deletes one that no longer does. */
  async putOrDropSubscription(next: SubscriptionRecord): Promise<void> {
    if (subscriptionIsLive(next)) await this.rows.putSubscription(next);
    else await this.rows.deleteSubscription(next.id);
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

  async insertEvent(w: WriteScope, calendar: CalendarWithShares, data: EventData): Promise<EventRecord> {
    if (await this.rows.eventByUid(calendar.calendar.id, data.uid)) {
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
    await this.rows.putEvent(event, eventBounds(event));
    await this.rows.putSubscription(this.newSubscription(w, event, calendar.calendar.owner, { isOwner: true, rsvp: 'attending' }));
    for (const share of calendar.shares) {
      await this.rows.putSubscription(this.newSubscription(w, event, share.username, { sharePermission: share.permission }));
    }
    w.changes.push(...diffEvent({ event: null, subscriptions: [] }, await this.snapshot(event.id), this.context(calendar), true));
    return event;
  }

  async rewriteEvent(w: WriteScope, before: WritableEvent, data: EventData): Promise<EventRecord> {
    const event: EventRecord = {
      ...before.event,
      ...eventFields(data),
      uid: before.event.uid,
      modified: w.modified,
      sequence: before.event.sequence + 1,
      syncToken: w.token,
    };
    await this.rows.putEvent(event, eventBounds(event));
    w.changes.push(...diffEvent(before, { event, subscriptions: before.subscriptions }, await this.contextOf(event.calendarId), true));
    return event;
  }

  async visibleTo(actor: string, eventId: string): Promise<VisibleEvent> {
    return (await this.reads.eventFor(actor, eventId))!;
  }

  /** The subscription, its event's snapshot and whether the actor writes the event; 404 / 403 checks. */
  async subscriptionForActor(actor: string, id: string): Promise<{ sub: SubscriptionRecord; before: EventSnapshot; actorWrites: boolean }> {
    const sub = await this.rows.subscription(id);
    if (!sub) throw new NotFoundError('event_subscription', id);
    const before = await this.snapshot(sub.eventId);
    const writers = eventWriters(before.subscriptions);
    if (!subscriptionAudience(sub, writers).has(actor)) throw new ForbiddenError('this subscription is not yours');
    return { sub, before, actorWrites: writers.includes(actor) };
  }
}
