// Rows of the calendar store's tables (DESIGN.md section 3) and their mapping to and from the records of
// calendar/model/types.ts. Shared by the SQLite and PostgreSQL stores because both tables have the same
// columns and both keep JSON-valued event fields as JSON text: one mapping means an event written by one
// backend reads back identically from the other. What differs per driver (how a boolean column comes
// back, placeholder syntax) stays in the backend, which passes it in.

import type {
  CalendarRecord,
  EventBounds,
  EventRecord,
  Permission,
  Rsvp,
  ShareRecord,
  SubscriptionRecord,
} from '../calendar/model/types.js';

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

/** `OwnerFlag` is how the driver returns the is_owner column (SQLite: 0/1, PostgreSQL: a boolean). */
export interface SubscriptionRow<OwnerFlag = boolean> {
  id: string;
  event_id: string;
  calendar_id: string;
  username: string;
  is_owner: OwnerFlag;
  share_permission: Permission | null;
  invite_permission: Permission | null;
  rsvp: Rsvp;
  created: string;
  modified: string;
  sync_token: number;
}

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

/** The backend has already turned its is_owner value into a boolean. */
export function subscriptionFromRow(r: SubscriptionRow<boolean>): SubscriptionRecord {
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

/**
 * Values for an event row, in the order calendar_id, uid, title, description, location, color, start_json,
 * end_json, rrule, rdates_json, exdates_json, overrides_json, created, modified, sequence, sync_token,
 * first_start_ms, last_end_ms, id: the order both stores' INSERT statements name their columns in.
 */
export function eventRowValues(e: EventRecord, bounds: EventBounds): unknown[] {
  return [
    e.calendarId, e.uid, e.title, e.description, e.location, e.color, JSON.stringify(e.start), JSON.stringify(e.end),
    e.rrule, JSON.stringify(e.rdates), JSON.stringify(e.exdates), JSON.stringify(e.overrides), e.created, e.modified,
    e.sequence, e.syncToken, bounds.firstStartMs, bounds.lastEndMs, e.id,
  ];
}

/**
 * Values for a subscription row, in the order event_id, calendar_id, username, is_owner, share_permission,
 * invite_permission, rsvp, created, modified, sync_token, id; `isOwner` is the record's flag as the
 * driver stores it.
 */
export function subscriptionRowValues(s: SubscriptionRecord, isOwner: unknown): unknown[] {
  return [s.eventId, s.calendarId, s.username, isOwner, s.sharePermission, s.invitePermission, s.rsvp, s.created, s.modified, s.syncToken, s.id];
}
