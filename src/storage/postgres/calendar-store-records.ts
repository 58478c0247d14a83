// Rows of the PostgreSQL calendar store and their mapping to the records of calendar/model/types.ts
// (DESIGN.md section 3). JSON-valued event fields are stored as text, as in the SQLite store.

import type {
  CalendarRecord,
  EventRecord,
  Permission,
  Rsvp,
  ShareRecord,
  SubscriptionRecord,
} from '../../calendar/model/types.js';

export interface CalendarRow {
  id: string;
  owner: string;
  title: string;
  color: string | null;
  timezone: string;
  description: string;
  created: string;
  modified: string;
  sync_token: number;
}

export interface ShareRow {
  calendar_id: string;
  username: string;
  permission: Permission;
  created: string;
  modified: string;
}

export interface EventRow {
  id: string;
  calendar_id: string;
  uid: string;
  title: string;
  description: string;
  location: string;
  color: string | null;
  start_json: string;
  end_json: string;
  rrule: string | null;
  rdates_json: string;
  exdates_json: string;
  overrides_json: string;
  created: string;
  modified: string;
  sequence: number;
  sync_token: number;
}

export interface SubscriptionRow {
  id: string;
  event_id: string;
  calendar_id: string;
  username: string;
  is_owner: boolean;
  share_permission: Permission | null;
  invite_permission: Permission | null;
  rsvp: Rsvp;
  created: string;
  modified: string;
  sync_token: number;
}

export const CALENDAR_COLUMNS = 'id, owner, title, color, timezone, description, created, modified, sync_token';
export const SHARE_COLUMNS = 'calendar_id, username, permission, created, modified';
export const EVENT_COLUMNS =
  'id, calendar_id, uid, title, description, location, color, start_json, end_json, rrule, rdates_json, exdates_json, ' +
  'overrides_json, created, modified, sequence, sync_token';
export const SUBSCRIPTION_COLUMNS =
  'id, event_id, calendar_id, username, is_owner, share_permission, invite_permission, rsvp, created, modified, sync_token';

export function calendarFromRow(r: CalendarRow): CalendarRecord {
  return {
    id: r.id,
    owner: r.owner,
    title: r.title,
    color: r.color,
    timezone: r.timezone,
    description: r.description,
    created: r.created,
    modified: r.modified,
    syncToken: r.sync_token,
  };
}

export function shareFromRow(r: ShareRow): ShareRecord {
  return { calendarId: r.calendar_id, username: r.username, permission: r.permission, created: r.created, modified: r.modified };
}

export function eventFromRow(r: EventRow): EventRecord {
  return {
    id: r.id,
    calendarId: r.calendar_id,
    uid: r.uid,
    title: r.title,
    description: r.description,
    location: r.location,
    color: r.color,
    start: JSON.parse(r.start_json),
    end: JSON.parse(r.end_json),
    rrule: r.rrule,
    rdates: JSON.parse(r.rdates_json),
    exdates: JSON.parse(r.exdates_json),
    overrides: JSON.parse(r.overrides_json),
    created: r.created,
    modified: r.modified,
    sequence: r.sequence,
    syncToken: r.sync_token,
  };
}

export function subscriptionFromRow(r: SubscriptionRow): SubscriptionRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    calendarId: r.calendar_id,
    username: r.username,
    isOwner: r.is_owner,
    sharePermission: r.share_permission,
    invitePermission: r.invite_permission,
    rsvp: r.rsvp,
    created: r.created,
    modified: r.modified,
    syncToken: r.sync_token,
  };
}
