// The REST JSON of each resource as one user sees it (DESIGN.md section 3: the feed carries "the REST
// representation, as that user sees it"). The same functions feed the HTTP answers and the feed items,
// so the two can never disagree; rest/schemas.ts declares exactly these shapes.

import { subscriptionLevel, subscriptionSource } from './permissions.js';
import type {
  AccessLevel,
  EventTime,
  OverrideFields,
  ShareRecord,
  SubscriptionRecord,
  Tombstone,
  VisibleCalendar,
  VisibleEvent,
} from './types.js';
import type { Occurrence } from '../recurrence/expansion.js';
import { formatUtc } from '../time/wall-clock.js';

/** A strong entity tag (RFC 9110 section 8.8.3): the sync token of the resource's last change. */
export function etagOf(syncToken: number): string {
  return `"${syncToken}"`;
}

export interface ShareJson {
  calendar_id: string;
  user: string;
  permission: 'read' | 'write';
  created: string;
  modified: string;
}

export function shareJson(share: ShareRecord): ShareJson {
  return {
    calendar_id: share.calendarId,
    user: share.username,
    permission: share.permission,
    created: share.created,
    modified: share.modified,
  };
}

export interface CalendarJson {
  id: string;
  owner: string;
  title: string;
  color: string | null;
  timezone: string;
  description: string;
  permission: AccessLevel;
  shares: Array<{ user: string; permission: 'read' | 'write' }>;
  created: string;
  modified: string;
  sync_token: number;
  etag: string;
}

export function calendarJson(v: VisibleCalendar): CalendarJson {
  const c = v.calendar.calendar;
  return {
    id: c.id,
    owner: c.owner,
    title: c.title,
    color: c.color,
    timezone: c.timezone,
    description: c.description,
    permission: v.level,
    shares: v.calendar.shares.map((s) => ({ user: s.username, permission: s.permission })),
    created: c.created,
    modified: c.modified,
    sync_token: c.syncToken,
    etag: etagOf(c.syncToken),
  };
}

export interface EventJson {
  id: string;
  calendar_id: string;
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
  permission: AccessLevel;
  subscription_id: string;
  rsvp_status: SubscriptionRecord['rsvp'];
  created: string;
  modified: string;
  sequence: number;
  sync_token: number;
  etag: string;
}

export function eventJson(v: VisibleEvent): EventJson {
  const e = v.event;
  return {
    id: e.id,
    calendar_id: e.calendarId,
    uid: e.uid,
    title: e.title,
    description: e.description,
    location: e.location,
    color: e.color,
    start: e.start,
    end: e.end,
    rrule: e.rrule,
    rdates: e.rdates,
    exdates: e.exdates,
    overrides: e.overrides,
    permission: v.access.level,
    subscription_id: v.access.subscription.id,
    rsvp_status: v.access.subscription.rsvp,
    created: e.created,
    modified: e.modified,
    sequence: e.sequence,
    sync_token: e.syncToken,
    etag: etagOf(e.syncToken),
  };
}

export interface InstanceJson {
  id: string;
  recurrence_id: string | null;
  calendar_id: string;
  uid: string;
  title: string;
  description: string;
  location: string;
  color: string | null;
  start: EventTime;
  end: EventTime;
  start_utc: string;
  end_utc: string;
  permission: AccessLevel;
  rsvp_status: SubscriptionRecord['rsvp'];
  sequence: number;
  etag: string;
}

/** One instance of an event in a time range, with its override applied. */
export function instanceJson(v: VisibleEvent, o: Occurrence): InstanceJson {
  const e = v.event;
  const override = o.recurrenceId === null ? undefined : e.overrides[o.recurrenceId];
  return {
    id: e.id,
    recurrence_id: o.recurrenceId,
    calendar_id: e.calendarId,
    uid: e.uid,
    title: override?.title ?? e.title,
    description: override?.description ?? e.description,
    location: override?.location ?? e.location,
    color: override?.color !== undefined ? override.color : e.color,
    start: o.start,
    end: o.end,
    start_utc: formatUtc(o.startUtc),
    end_utc: formatUtc(o.endUtc),
    permission: v.access.level,
    rsvp_status: v.access.subscription.rsvp,
    sequence: e.sequence,
    etag: etagOf(e.syncToken),
  };
}

export interface SubscriptionJson {
  id: string;
  event_id: string;
  calendar_id: string;
  user: string;
  permission: 'read' | 'write';
  source: 'owner' | 'share' | 'invitation';
  invited: boolean;
  rsvp_status: SubscriptionRecord['rsvp'];
  created: string;
  modified: string;
  sync_token: number;
  etag: string;
}

export function subscriptionJson(sub: SubscriptionRecord): SubscriptionJson {
  const level = subscriptionLevel(sub);
  return {
    id: sub.id,
    event_id: sub.eventId,
    calendar_id: sub.calendarId,
    user: sub.username,
    permission: level === 'read' ? 'read' : 'write',
    source: subscriptionSource(sub),
    invited: sub.invitePermission !== null,
    rsvp_status: sub.rsvp,
    created: sub.created,
    modified: sub.modified,
    sync_token: sub.syncToken,
    etag: etagOf(sub.syncToken),
  };
}

export function tombstoneJson(id: string): Tombstone {
  return { id, deleted: true };
}
