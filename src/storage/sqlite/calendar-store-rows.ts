// Row access for the SQLite calendar store: the statements and the mapping between rows and the records
// of calendar/model/types.ts. Runs inside the store's transactions; no permission logic here.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDb } from './database.js';
import { preparedOnce } from './prepared-statements.js';
import type {
  CalendarRecord,
  CalendarWithShares,
  ChangeEntry,
  EventBounds,
  EventRecord,
  ShareRecord,
  SubscriptionRecord,
} from '../../calendar/model/types.js';
import {
  calendarFromRow,
  eventFromRow,
  eventRowValues,
  shareFromRow,
  subscriptionFromRow,
  subscriptionRowValues,
  type CalendarRow,
  type EventRow,
  type ShareRow,
  type SubscriptionRow,
} from '../calendar-records.js';
import type { SyncTokenBounds } from '../calendar-read-rules.js';

/** SQLite has no boolean type: is_owner is stored as 0 or 1. */
function subscriptionFromSqliteRow(r: SubscriptionRow<number>): SubscriptionRecord {
  return subscriptionFromRow({ ...r, is_owner: r.is_owner === 1 });
}

/** created_token is the creating write's sync token, bound once more at the end. */
function eventParams(e: EventRecord, bounds: EventBounds): unknown[] {
  return [...eventRowValues(e, bounds), e.syncToken];
}

function subscriptionParams(s: SubscriptionRecord): unknown[] {
  return [...subscriptionRowValues(s, s.isOwner ? 1 : 0), s.syncToken];
}

export class CalendarRows {
  /** Each distinct statement prepared once. */
  private readonly sql: (source: string) => BetterSqlite3.Statement;

  constructor(readonly db: SqliteDb) {
    this.sql = preparedOnce(db);
  }

  nextToken(): number {
    return (this.sql('UPDATE calendar_sequence SET value = value + 1 WHERE id = 1 RETURNING value').get() as { value: number }).value;
  }

  currentToken(): number {
    return (this.sql('SELECT value FROM calendar_sequence WHERE id = 1').get() as { value: number }).value;
  }

  /** The newest token and the oldest one a sync list still answers (storage/calendar-read-rules.ts). */
  tokenBounds(): SyncTokenBounds {
    const row = this.sql('SELECT value, pruned_through FROM calendar_sequence WHERE id = 1').get() as { value: number; pruned_through: number };
    return { current: row.value, oldest: row.pruned_through };
  }

  calendar(id: string): CalendarWithShares | undefined {
    const row = this.sql('SELECT * FROM calendars WHERE id = ?').get(id) as CalendarRow | undefined;
    return row && { calendar: calendarFromRow(row), shares: this.shares(id) };
  }

  shares(calendarId: string): ShareRecord[] {
    const rows = this.sql('SELECT * FROM calendar_shares WHERE calendar_id = ? ORDER BY username').all(calendarId) as ShareRow[];
    return rows.map(shareFromRow);
  }

  /** Calendars a user owns or has a share of, in creation order. */
  visibleCalendarIds(username: string): string[] {
    const rows = this.sql(
        `SELECT id FROM calendars c
         WHERE owner = ? OR EXISTS (SELECT 1 FROM calendar_shares s WHERE s.calendar_id = c.id AND s.username = ?)
         ORDER BY created_token, id`,
      )
      .all(username, username) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  putCalendar(c: CalendarRecord): void {
    this.sql(
        `INSERT INTO calendars (owner, title, color, timezone, description, created, modified, sync_token, id, created_token)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, color = excluded.color, timezone = excluded.timezone,
           description = excluded.description, modified = excluded.modified, sync_token = excluded.sync_token`,
      )
      .run(c.owner, c.title, c.color, c.timezone, c.description, c.created, c.modified, c.syncToken, c.id, c.syncToken);
  }

  deleteCalendar(id: string): void {
    this.sql('DELETE FROM calendar_shares WHERE calendar_id = ?').run(id);
    this.sql('DELETE FROM calendars WHERE id = ?').run(id);
  }

  putShare(s: ShareRecord): void {
    this.sql(
        `INSERT INTO calendar_shares (calendar_id, username, permission, created, modified) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (calendar_id, username) DO UPDATE SET permission = excluded.permission, modified = excluded.modified`,
      )
      .run(s.calendarId, s.username, s.permission, s.created, s.modified);
  }

  deleteShare(calendarId: string, username: string): void {
    this.sql('DELETE FROM calendar_shares WHERE calendar_id = ? AND username = ?').run(calendarId, username);
  }

  event(id: string): EventRecord | undefined {
    const row = this.sql('SELECT * FROM calendar_events WHERE id = ?').get(id) as EventRow | undefined;
    return row && eventFromRow(row);
  }

  eventBounds(id: string): EventBounds | undefined {
    const row = this.sql('SELECT first_start_ms, last_end_ms FROM calendar_events WHERE id = ?').get(id) as
      | { first_start_ms: number; last_end_ms: number | null }
      | undefined;
    return row && { firstStartMs: row.first_start_ms, lastEndMs: row.last_end_ms };
  }

  eventByUid(calendarId: string, uid: string): EventRecord | undefined {
    const row = this.sql('SELECT * FROM calendar_events WHERE calendar_id = ? AND uid = ?').get(calendarId, uid) as EventRow | undefined;
    return row && eventFromRow(row);
  }

  eventIdsOfCalendar(calendarId: string): string[] {
    const rows = this.sql('SELECT id FROM calendar_events WHERE calendar_id = ? ORDER BY id').all(calendarId) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  putEvent(e: EventRecord, bounds: EventBounds): void {
    this.sql(
        `INSERT INTO calendar_events (calendar_id, uid, title, description, location, color, start_json, end_json, rrule,
           rdates_json, exdates_json, overrides_json, created, modified, sequence, sync_token, first_start_ms, last_end_ms, id,
           created_token)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
           location = excluded.location, color = excluded.color, start_json = excluded.start_json,
           end_json = excluded.end_json, rrule = excluded.rrule, rdates_json = excluded.rdates_json,
           exdates_json = excluded.exdates_json, overrides_json = excluded.overrides_json, modified = excluded.modified,
           sequence = excluded.sequence, sync_token = excluded.sync_token, first_start_ms = excluded.first_start_ms,
           last_end_ms = excluded.last_end_ms`,
      )
      .run(...eventParams(e, bounds));
  }

  deleteEvent(id: string): void {
    this.sql('DELETE FROM calendar_event_subscriptions WHERE event_id = ?').run(id);
    this.sql('DELETE FROM calendar_events WHERE id = ?').run(id);
  }

  subscription(id: string): SubscriptionRecord | undefined {
    const row = this.sql('SELECT * FROM calendar_event_subscriptions WHERE id = ?').get(id) as SubscriptionRow<number> | undefined;
    return row && subscriptionFromSqliteRow(row);
  }

  subscriptionsOfEvent(eventId: string): SubscriptionRecord[] {
    const rows = this.sql('SELECT * FROM calendar_event_subscriptions WHERE event_id = ? ORDER BY username')
      .all(eventId) as SubscriptionRow<number>[];
    return rows.map(subscriptionFromSqliteRow);
  }

  putSubscription(s: SubscriptionRecord): void {
    this.sql(
        `INSERT INTO calendar_event_subscriptions (event_id, calendar_id, username, is_owner, share_permission,
           invite_permission, rsvp, created, modified, sync_token, id, created_token)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET is_owner = excluded.is_owner, share_permission = excluded.share_permission,
           invite_permission = excluded.invite_permission, rsvp = excluded.rsvp, modified = excluded.modified,
           sync_token = excluded.sync_token`,
      )
      .run(...subscriptionParams(s));
  }

  deleteSubscription(id: string): void {
    this.sql('DELETE FROM calendar_event_subscriptions WHERE id = ?').run(id);
  }

  subscriptionOf(eventId: string, username: string): SubscriptionRecord | undefined {
    const row = this.sql('SELECT * FROM calendar_event_subscriptions WHERE event_id = ? AND username = ?').get(eventId, username) as
      | SubscriptionRow<number>
      | undefined;
    return row && subscriptionFromSqliteRow(row);
  }

  calendarTimezone(id: string): string | undefined {
    return (this.sql('SELECT timezone FROM calendars WHERE id = ?').get(id) as { timezone: string } | undefined)?.timezone;
  }

  /** Events a user is subscribed to, by first start; optional calendar and prefilter-range conditions. */
  visibleEventIds(username: string, calendarIds?: string[], range?: { fromUtc: number; toUtc: number }): string[] {
    const where: string[] = [];
    const params: unknown[] = [username];
    if (calendarIds) {
      where.push(`e.calendar_id IN (${calendarIds.map(() => '?').join(',')})`);
      params.push(...calendarIds);
    }
    if (range) {
      where.push('e.first_start_ms < ? AND (e.last_end_ms IS NULL OR e.last_end_ms >= ?)');
      params.push(range.toUtc, range.fromUtc);
    }
    const rows = this.sql(
      `SELECT e.id FROM calendar_events e
       JOIN calendar_event_subscriptions s ON s.event_id = e.id AND s.username = ?
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY e.first_start_ms, e.created_token, e.id`,
    ).all(...params) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Subscriptions a user sees: their own, and invitations to events they may write
   * (calendar/model/permissions.ts subscriptionAudience), in creation order.
   */
  visibleSubscriptionIds(username: string, eventIds?: string[], calendarIds?: string[]): string[] {
    const where: string[] = [];
    const params: unknown[] = [username, username];
    if (eventIds) {
      where.push(`s.event_id IN (${eventIds.map(() => '?').join(',')})`);
      params.push(...eventIds);
    }
    if (calendarIds) {
      where.push(`s.calendar_id IN (${calendarIds.map(() => '?').join(',')})`);
      params.push(...calendarIds);
    }
    const rows = this.sql(
      `SELECT s.id FROM calendar_event_subscriptions s
       WHERE (s.username = ? OR (s.invite_permission IS NOT NULL AND EXISTS (
         SELECT 1 FROM calendar_event_subscriptions w WHERE w.event_id = s.event_id AND w.username = ?
           AND (w.is_owner = 1 OR w.share_permission = 'write' OR w.invite_permission = 'write'))))
       ${where.length ? 'AND ' + where.join(' AND ') : ''}
       ORDER BY s.created_token, s.id`,
    ).all(...params) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Writes one change and its audience to the log. */
  recordChange(token: number, change: ChangeEntry, actor: string, modified: string): void {
    const { id } = this.sql(
        `INSERT INTO calendar_changes (sync_token, resource, resource_id, calendar_id, action, actor, modified)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(token, change.resource, change.id, change.calendarId, change.action, actor, modified) as { id: number };
    const insert = this.sql('INSERT INTO calendar_change_audience (change_id, username) VALUES (?, ?)');
    for (const user of change.audience.keys()) insert.run(id, user);
  }

  /**
   * Ids of resources that changed for `username` after `token`, ordered by their first such change so
   * that offset paging stays stable while new changes arrive (they only ever append).
   */
  changedIds(username: string, resource: string, token: number, calendarIds?: string[]): string[] {
    const byCalendar = calendarIds ? `AND c.calendar_id IN (${calendarIds.map(() => '?').join(',')})` : '';
    const rows = this.sql(
        `SELECT c.resource_id AS id, MIN(c.sync_token) AS first FROM calendar_change_audience a
         JOIN calendar_changes c ON c.id = a.change_id
         WHERE a.username = ? AND c.resource = ? AND c.sync_token > ? ${byCalendar}
         GROUP BY c.resource_id ORDER BY first, c.resource_id`,
      )
      .all(username, resource, token, ...(calendarIds ?? [])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}
