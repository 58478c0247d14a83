// The records a calendar store write produces (DESIGN.md section 3): every row a write touches carries the
// write's sync token and commit time, new ids are random UUIDs, an event's SEQUENCE goes up by one on
// each rewrite (RFC 5545 section 3.8.7.4) while its uid stays. Shared by the SQLite and PostgreSQL stores
// so that the same write yields the same records on either; the backends only store them.

import { randomUUID } from 'node:crypto';
import type { CalendarContext } from '../calendar/model/change-diff.js';
import { formatUtc } from '../calendar/time/wall-clock.js';
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
} from '../calendar/model/types.js';
import type { Committed, SubscriptionPatch, WriteContext } from './calendar-store.js';

/** What a write body gets: the token and time of its commit, and the list its changes go to. */
export interface WriteScope {
  token: number;
  modified: string;
  changes: ChangeEntry[];
}

export function openWriteScope(token: number, ctx: WriteContext): WriteScope {
  return { token, modified: formatUtc(ctx.now.getTime()), changes: [] };
}

export function committed<T>(w: WriteScope, value: T): Committed<T> {
  return { syncToken: w.token, modified: w.modified, value, changes: w.changes };
}

/** What change-diff needs of the calendar; a calendar that had shares before the write counts as shared. */
export function calendarContext(calendar: CalendarWithShares, sharedBefore = false): CalendarContext {
  return {
    calendarId: calendar.calendar.id,
    calendarTimezone: calendar.calendar.timezone,
    sharedCalendar: sharedBefore || calendar.shares.length > 0,
  };
}

export function newCalendarRecord(w: WriteScope, owner: string, data: CalendarData): CalendarRecord {
  return {
    id: randomUUID(),
    owner,
    title: data.title,
    color: data.color,
    timezone: data.timezone,
    description: data.description,
    created: w.modified,
    modified: w.modified,
    syncToken: w.token,
  };
}

export function changedCalendarRecord(w: WriteScope, before: CalendarRecord, data: CalendarData): CalendarRecord {
  const { title, color, timezone, description } = data;
  return { ...before, title, color, timezone, description, modified: w.modified, syncToken: w.token };
}

/** A change of shares touches the calendar too, so a sync of calendars reports it. */
export function touchedCalendarRecord(w: WriteScope, before: CalendarRecord): CalendarRecord {
  return { ...before, modified: w.modified, syncToken: w.token };
}

/** The share row to put, keeping the creation time of a share that is only changing permission. */
export function shareRecordToPut(
  w: WriteScope,
  calendar: CalendarWithShares,
  username: string,
  permission: Permission,
): { share: ShareRecord; created: boolean } {
  const existing = calendar.shares.find((s) => s.username === username);
  const share: ShareRecord = {
    calendarId: calendar.calendar.id,
    username,
    permission,
    created: existing?.created ?? w.modified,
    modified: w.modified,
  };
  return { share, created: existing === undefined };
}

export function newSubscription(w: WriteScope, event: EventRecord, username: string, grant: Partial<SubscriptionRecord>): SubscriptionRecord {
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

/** A user's subscription to one event once their calendar share is `permission` (null: no share). */
export function subscriptionWithShare(
  w: WriteScope,
  current: SubscriptionRecord | undefined,
  event: EventRecord,
  username: string,
  permission: Permission | null,
): SubscriptionRecord {
  return current
    ? { ...current, sharePermission: permission, modified: w.modified, syncToken: w.token }
    : newSubscription(w, event, username, { sharePermission: permission });
}

export function patchedSubscription(w: WriteScope, sub: SubscriptionRecord, patch: SubscriptionPatch): SubscriptionRecord {
  return {
    ...sub,
    rsvp: patch.rsvp ?? sub.rsvp,
    invitePermission: patch.permission ?? sub.invitePermission,
    modified: w.modified,
    syncToken: w.token,
  };
}

export function withdrawnInvitation(w: WriteScope, sub: SubscriptionRecord): SubscriptionRecord {
  return { ...sub, invitePermission: null, modified: w.modified, syncToken: w.token };
}

/** Only the fields a client supplies; anything else on the object never reaches a row. */
function eventFields(data: EventData): EventData {
  const { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides } = data;
  return { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides };
}

export function newEventRecord(w: WriteScope, calendarId: string, data: EventData): EventRecord {
  return {
    ...eventFields(data),
    id: randomUUID(),
    calendarId,
    created: w.modified,
    modified: w.modified,
    sequence: 0,
    syncToken: w.token,
  };
}

export function rewrittenEventRecord(w: WriteScope, before: EventRecord, data: EventData): EventRecord {
  return {
    ...before,
    ...eventFields(data),
    uid: before.uid,
    modified: w.modified,
    sequence: before.sequence + 1,
    syncToken: w.token,
  };
}
