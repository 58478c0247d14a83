// The calendar resource model of DESIGN.md section 3: calendars, calendar shares, events with RFC 5545
// semantics (section 3.6.1 VEVENT, 3.8.5 recurrence) and event subscriptions. These are the stored
// records; model/views.ts renders them as the REST JSON a given user sees.

/** What a user may do: read, or read and write. The calendar owner additionally manages shares. */
export type Permission = 'read' | 'write';

/** A user's relation to a calendar or event as rendered in its JSON. */
export type AccessLevel = 'owner' | Permission;

export type Rsvp = 'attending' | 'not_attending' | 'not_replied';

/** A timed value in an Olson zone (RFC 5545 3.3.5 form 3) or an all-day date (3.3.4). */
export type EventTime = TimedValue | AllDayValue;
export interface TimedValue {
  /** Local wall time `YYYY-MM-DDTHH:MM:SS`, no offset. */
  date_time: string;
  /** Canonical IANA zone name; `UTC` for RFC 5545 form 2. */
  timezone: string;
}
export interface AllDayValue {
  /** `YYYY-MM-DD`. */
  date: string;
}

export function isAllDay(value: EventTime): value is AllDayValue {
  return 'date' in value;
}

export interface CalendarData {
  title: string;
  color: string | null;
  timezone: string;
  description: string;
}

export interface CalendarRecord extends CalendarData {
  id: string;
  owner: string;
  created: string;
  modified: string;
  syncToken: number;
}

export interface ShareRecord {
  calendarId: string;
  username: string;
  permission: Permission;
  created: string;
  modified: string;
}

/** A calendar together with who it is shared with, the unit its JSON is rendered from. */
export interface CalendarWithShares {
  calendar: CalendarRecord;
  shares: ShareRecord[];
}

/** The fields an overridden instance may change (RFC 5545 RECURRENCE-ID, 3.8.4.4). */
export interface OverrideFields {
  title?: string;
  description?: string;
  location?: string;
  color?: string | null;
  start?: EventTime;
  end?: EventTime;
}

/** The writable content of an event, normalised. Recurrence ids are the local start of the instance. */
export interface EventData {
  uid: string;
  title: string;
  description: string;
  location: string;
  color: string | null;
  start: EventTime;
  end: EventTime;
  rrule: string | null;
  rdates: string[];
  exdates: string[];
  overrides: Record<string, OverrideFields>;
}

export interface EventRecord extends EventData {
  id: string;
  calendarId: string;
  created: string;
  modified: string;
  sequence: number;
  syncToken: number;
}

/**
 * Where an event sits in time, for the range prefilter: UTC milliseconds of the earliest start and the
 * latest end over all instances (null when the recurrence never ends). All-day values are widened by the
 * largest zone offsets so the bounds hold whatever zone the dates are read in.
 */
export interface EventBounds {
  firstStartMs: number;
  lastEndMs: number | null;
}

export interface SubscriptionRecord {
  id: string;
  eventId: string;
  calendarId: string;
  username: string;
  /** The user owns the event's calendar. */
  isOwner: boolean;
  /** Permission through a share of the event's calendar, if any. */
  sharePermission: Permission | null;
  /** Permission through a direct invitation, if any. */
  invitePermission: Permission | null;
  rsvp: Rsvp;
  created: string;
  modified: string;
  syncToken: number;
}

/** What one user may do with one event, and their subscription to it. */
export interface EventAccess {
  level: AccessLevel;
  subscription: SubscriptionRecord;
}

export interface VisibleEvent {
  event: EventRecord;
  access: EventAccess;
  /** The zone of the event's calendar: all-day dates are days in this zone. */
  calendarTimezone: string;
}

export interface VisibleCalendar {
  calendar: CalendarWithShares;
  level: AccessLevel;
}

/** A deleted (or no longer visible) resource in a sync answer. */
export interface Tombstone {
  id: string;
  deleted: true;
}

export function isTombstone(value: object): value is Tombstone {
  return (value as Tombstone).deleted === true;
}

export type ChangeAction = 'created' | 'updated' | 'deleted';

interface ChangeBase {
  id: string;
  action: ChangeAction;
  calendarId: string;
  /** The calendar had shares when the change committed (it may also be published on calendar/<id>). */
  sharedCalendar: boolean;
}

/**
 * One committed change as the users it affects see it. `audience` maps each affected username to what the
 * JSON is rendered from, or to null when, for that user, the resource is gone (a tombstone).
 */
export type ChangeEntry =
  | (ChangeBase & { resource: 'calendar'; calendar: CalendarWithShares; audience: Map<string, AccessLevel | null> })
  | (ChangeBase & { resource: 'event'; event: EventRecord; calendarTimezone: string; audience: Map<string, EventAccess | null> })
  | (ChangeBase & { resource: 'event_subscription'; subscription: SubscriptionRecord; audience: Map<string, true | null> });
