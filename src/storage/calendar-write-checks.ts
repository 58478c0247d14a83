// The checks a calendar store write makes before it changes anything (DESIGN.md section 3): 404 before
// 403 (calendar/model/permissions.ts decides the levels), 409 for a clash, and the preconditions of
// RFC 9110 section 13.1.1 (If-Match) and RFC 5545 section 3.8.7.4 (SEQUENCE). Shared by the SQLite and
// PostgreSQL stores so that both refuse exactly the same writes with exactly the same errors; they differ
// only in how they load the rows these checks look at.

import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../calendar/model/errors.js';
import { calendarLevel, canWrite, subscriptionAudience, subscriptionLevel } from '../calendar/model/permissions.js';
import { eventWriters, type EventSnapshot } from '../calendar/model/change-diff.js';
import { etagOf } from '../calendar/model/views.js';
import type { CalendarWithShares, EventRecord, SubscriptionRecord } from '../calendar/model/types.js';
import type { Precondition, SubscriptionPatch } from './calendar-store.js';

/** An event snapshot known to hold an event. */
export type WritableEvent = EventSnapshot & { event: EventRecord };

export function checkPrecondition(pre: Precondition, syncToken: number, sequence?: number): void {
  const etag = etagOf(syncToken);
  if (pre.etags && !pre.etags.includes('*') && !pre.etags.includes(etag)) throw new PreconditionFailedError(etag);
  if (pre.sequence !== undefined && sequence !== undefined && pre.sequence !== sequence) {
    throw new ConflictError('sequence', `the event is at sequence ${sequence}, not ${pre.sequence}`);
  }
}

export function calendarOrThrow(calendar: CalendarWithShares | undefined, id: string): CalendarWithShares {
  if (!calendar) throw new NotFoundError('calendar', id);
  return calendar;
}

/** Calendar settings and shares are the owner's alone. */
export function checkOwnsCalendar(calendar: CalendarWithShares, actor: string): void {
  const level = calendarLevel(calendar, actor);
  if (level === null) throw new ForbiddenError('the calendar is not shared with you');
  if (level !== 'owner') throw new ForbiddenError('only the owner of the calendar may do this');
}

/** Events are added by the owner and by write sharees. */
export function checkMayAddEvents(calendar: CalendarWithShares, actor: string): void {
  const level = calendarLevel(calendar, actor);
  if (level === null) throw new ForbiddenError('the calendar is not shared with you');
  if (!canWrite(level)) throw new ForbiddenError('the calendar is shared with you read-only');
}

/** The event of a snapshot, if the actor's own subscription lets them write it (404, then 403). */
export function writableEventOrThrow(before: EventSnapshot, actor: string, id: string): WritableEvent {
  if (!before.event) throw new NotFoundError('event', id);
  const mine = before.subscriptions.find((s) => s.username === actor);
  const level = mine && subscriptionLevel(mine);
  if (!level) throw new ForbiddenError('you are not subscribed to this event');
  if (!canWrite(level)) throw new ForbiddenError('you may only read this event');
  return before as WritableEvent;
}

/** A uid names one event per calendar (RFC 5545 section 3.8.4.7). */
export function checkUidUnused(existing: EventRecord | undefined): void {
  if (existing) throw new ConflictError('uid', 'an event with this uid already exists in the calendar');
}

export function checkShareTarget(calendar: CalendarWithShares, username: string): void {
  if (username === calendar.calendar.owner) throw new ValidationError('user', 'the owner already has the calendar');
}

/** The owner revokes a share; a sharee may also leave the calendar. */
export function checkShareRemoval(calendar: CalendarWithShares, actor: string, username: string): void {
  const level = calendarLevel(calendar, actor);
  if (level !== 'owner' && !(level !== null && actor === username)) {
    throw new ForbiddenError(level === null ? 'the calendar is not shared with you' : 'only the owner of the calendar may do this');
  }
  if (!calendar.shares.some((s) => s.username === username)) throw new NotFoundError('share', username);
}

export function checkNotSubscribed(before: EventSnapshot, username: string): void {
  if (before.subscriptions.some((s) => s.username === username)) {
    throw new ConflictError('user', 'the user is already subscribed to this event');
  }
}

export function subscriptionOrThrow(sub: SubscriptionRecord | undefined, id: string): SubscriptionRecord {
  if (!sub) throw new NotFoundError('event_subscription', id);
  return sub;
}

/** Whether the actor writes the subscription's event; 403 unless the subscription is in their view. */
export function actorWritesOrThrow(sub: SubscriptionRecord, before: EventSnapshot, actor: string): boolean {
  const writers = eventWriters(before.subscriptions);
  if (!subscriptionAudience(sub, writers).has(actor)) throw new ForbiddenError('this subscription is not yours');
  return writers.includes(actor);
}

/** Only the subscriber answers (RSVP); only a writer changes an invitation's permission. */
export function checkSubscriptionPatch(sub: SubscriptionRecord, patch: SubscriptionPatch, actor: string, actorWrites: boolean): void {
  if (patch.rsvp !== undefined && sub.username !== actor) {
    throw new ForbiddenError('only the subscribed user answers for themselves');
  }
  if (patch.permission !== undefined) {
    if (!actorWrites) throw new ForbiddenError('only a writer of the event changes permissions');
    if (sub.invitePermission === null) {
      throw new ConflictError('permission', 'this subscription comes from the calendar; change the calendar share instead');
    }
  }
}

export function checkInvitationWithdrawal(sub: SubscriptionRecord, actor: string, actorWrites: boolean): void {
  if (sub.username !== actor && !actorWrites) throw new ForbiddenError('only the invitee or a writer of the event withdraws an invitation');
  if (sub.invitePermission === null) {
    throw new ConflictError('source', 'this subscription comes from the calendar; remove the calendar share instead');
  }
}
