// Row access for the PostgreSQL calendar store: the statements and the mapping between rows and the
// records of calendar/model/types.ts. One instance serves one transaction; no permission logic here.
// Text is ordered with COLLATE "C" (byte order, as in SQLite) so that lists page identically whatever
// the database's locale.

import type { Sql } from './database.js';
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

// Columns named rather than *, so rows carry exactly the fields of the shared row types.
const CALENDAR_COLUMNS = 'id, owner, title, color, timezone, description, created, modified, sync_token';
const SHARE_COLUMNS = 'calendar_id, username, permission, created, modified';
const EVENT_COLUMNS =
  'id, calendar_id, uid, title, description, location, color, start_json, end_json, rrule, rdates_json, exdates_json, ' +
  'overrides_json, created, modified, sequence, sync_token';
const SUBSCRIPTION_COLUMNS =
  'id, event_id, calendar_id, username, is_owner, share_permission, invite_permission, rsvp, created, modified, sync_token';

export class CalendarRows {
  constructor(private readonly sql: Sql) {}

  /** Takes the next token and, with it, the sequence row's lock until this transaction ends. */
  async nextToken(): Promise<number> {
    return (await this.sql.one<{ value: number }>('UPDATE calendar_sequence SET value = value + 1 WHERE id = 1 RETURNING value'))!.value;
  }

  async currentToken(): Promise<number> {
    return (await this.sql.one<{ value: number }>('SELECT value FROM calendar_sequence WHERE id = 1'))!.value;
  }

  /** The newest token and the oldest one a sync list still answers (storage/calendar-read-rules.ts). */
  async tokenBounds(): Promise<SyncTokenBounds> {
    const row = (await this.sql.one<{ value: number; pruned_through: number }>('SELECT value, pruned_through FROM calendar_sequence WHERE id = 1'))!;
    return { current: row.value, oldest: row.pruned_through };
  }

  async calendar(id: string): Promise<CalendarWithShares | undefined> {
    const row = await this.sql.one<CalendarRow>(`SELECT ${CALENDAR_COLUMNS} FROM calendars WHERE id = $1`, [id]);
    return row && { calendar: calendarFromRow(row), shares: await this.shares(id) };
  }

  async shares(calendarId: string): Promise<ShareRecord[]> {
    const rows = await this.sql.rows<ShareRow>(
      `SELECT ${SHARE_COLUMNS} FROM calendar_shares WHERE calendar_id = $1 ORDER BY username COLLATE "C"`,
      [calendarId],
    );
    return rows.map(shareFromRow);
  }

  /** Calendars a user owns or has a share of, in creation order. */
  async visibleCalendarIds(username: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM calendars c
       WHERE owner = $1 OR EXISTS (SELECT 1 FROM calendar_shares s WHERE s.calendar_id = c.id AND s.username = $1)
       ORDER BY created_token, id COLLATE "C"`,
      [username],
    );
    return rows.map((r) => r.id);
  }

  async putCalendar(c: CalendarRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO calendars (owner, title, color, timezone, description, created, modified, sync_token, id, created_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, color = excluded.color, timezone = excluded.timezone,
         description = excluded.description, modified = excluded.modified, sync_token = excluded.sync_token`,
      [c.owner, c.title, c.color, c.timezone, c.description, c.created, c.modified, c.syncToken, c.id],
    );
  }

  async deleteCalendar(id: string): Promise<void> {
    await this.sql.run('DELETE FROM calendar_shares WHERE calendar_id = $1', [id]);
    await this.sql.run('DELETE FROM calendars WHERE id = $1', [id]);
  }

  async putShare(s: ShareRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO calendar_shares (calendar_id, username, permission, created, modified) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (calendar_id, username) DO UPDATE SET permission = excluded.permission, modified = excluded.modified`,
      [s.calendarId, s.username, s.permission, s.created, s.modified],
    );
  }

  async deleteShare(calendarId: string, username: string): Promise<void> {
    await this.sql.run('DELETE FROM calendar_shares WHERE calendar_id = $1 AND username = $2', [calendarId, username]);
  }

  async event(id: string): Promise<EventRecord | undefined> {
    const row = await this.sql.one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM calendar_events WHERE id = $1`, [id]);
    return row && eventFromRow(row);
  }

  async eventBounds(id: string): Promise<EventBounds | undefined> {
    const row = await this.sql.one<{ first_start_ms: number; last_end_ms: number | null }>(
      'SELECT first_start_ms, last_end_ms FROM calendar_events WHERE id = $1',
      [id],
    );
    return row && { firstStartMs: row.first_start_ms, lastEndMs: row.last_end_ms };
  }

  async eventByUid(calendarId: string, uid: string): Promise<EventRecord | undefined> {
    const row = await this.sql.one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM calendar_events WHERE calendar_id = $1 AND uid = $2`, [
      calendarId,
      uid,
    ]);
    return row && eventFromRow(row);
  }

  async eventIdsOfCalendar(calendarId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>('SELECT id FROM calendar_events WHERE calendar_id = $1 ORDER BY id COLLATE "C"', [
      calendarId,
    ]);
    return rows.map((r) => r.id);
  }

  async putEvent(e: EventRecord, bounds: EventBounds): Promise<void> {
    await this.sql.run(
      `INSERT INTO calendar_events (calendar_id, uid, title, description, location, color, start_json, end_json, rrule,
         rdates_json, exdates_json, overrides_json, created, modified, sequence, sync_token, first_start_ms, last_end_ms, id,
         created_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $16)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
         location = excluded.location, color = excluded.color, start_json = excluded.start_json,
         end_json = excluded.end_json, rrule = excluded.rrule, rdates_json = excluded.rdates_json,
         exdates_json = excluded.exdates_json, overrides_json = excluded.overrides_json, modified = excluded.modified,
         sequence = excluded.sequence, sync_token = excluded.sync_token, first_start_ms = excluded.first_start_ms,
         last_end_ms = excluded.last_end_ms`,
      eventRowValues(e, bounds),
    );
  }

  async deleteEvent(id: string): Promise<void> {
    await this.sql.run('DELETE FROM calendar_event_subscriptions WHERE event_id = $1', [id]);
    await this.sql.run('DELETE FROM calendar_events WHERE id = $1', [id]);
  }

  async subscription(id: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.sql.one<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM calendar_event_subscriptions WHERE id = $1`, [id]);
    return row && subscriptionFromRow(row);
  }

  async subscriptionsOfEvent(eventId: string): Promise<SubscriptionRecord[]> {
    const rows = await this.sql.rows<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM calendar_event_subscriptions WHERE event_id = $1 ORDER BY username COLLATE "C"`,
      [eventId],
    );
    return rows.map(subscriptionFromRow);
  }

  async putSubscription(s: SubscriptionRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO calendar_event_subscriptions (event_id, calendar_id, username, is_owner, share_permission,
         invite_permission, rsvp, created, modified, sync_token, id, created_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)
       ON CONFLICT (id) DO UPDATE SET is_owner = excluded.is_owner, share_permission = excluded.share_permission,
         invite_permission = excluded.invite_permission, rsvp = excluded.rsvp, modified = excluded.modified,
         sync_token = excluded.sync_token`,
      subscriptionRowValues(s, s.isOwner),
    );
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.sql.run('DELETE FROM calendar_event_subscriptions WHERE id = $1', [id]);
  }

  async subscriptionOf(eventId: string, username: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.sql.one<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM calendar_event_subscriptions WHERE event_id = $1 AND username = $2`,
      [eventId, username],
    );
    return row && subscriptionFromRow(row);
  }

  async calendarTimezone(id: string): Promise<string | undefined> {
    return (await this.sql.one<{ timezone: string }>('SELECT timezone FROM calendars WHERE id = $1', [id]))?.timezone;
  }

  /** Events a user is subscribed to, by first start; optional calendar and prefilter-range conditions. */
  async visibleEventIds(username: string, calendarIds?: string[], range?: { fromUtc: number; toUtc: number }): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT e.id FROM calendar_events e
       JOIN calendar_event_subscriptions s ON s.event_id = e.id AND s.username = $1
       WHERE ($2::text[] IS NULL OR e.calendar_id = ANY($2::text[]))
         AND ($3::bigint IS NULL OR (e.first_start_ms < $3 AND (e.last_end_ms IS NULL OR e.last_end_ms >= $4)))
       ORDER BY e.first_start_ms, e.created_token, e.id COLLATE "C"`,
      [username, calendarIds ?? null, range?.toUtc ?? null, range?.fromUtc ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Subscriptions a user sees: their own, and invitations to events they may write
   * (calendar/model/permissions.ts subscriptionAudience), in creation order.
   */
  async visibleSubscriptionIds(username: string, eventIds?: string[], calendarIds?: string[]): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT s.id FROM calendar_event_subscriptions s
       WHERE (s.username = $1 OR (s.invite_permission IS NOT NULL AND EXISTS (
         SELECT 1 FROM calendar_event_subscriptions w WHERE w.event_id = s.event_id AND w.username = $1
           AND (w.is_owner OR w.share_permission = 'write' OR w.invite_permission = 'write'))))
         AND ($2::text[] IS NULL OR s.event_id = ANY($2::text[]))
         AND ($3::text[] IS NULL OR s.calendar_id = ANY($3::text[]))
       ORDER BY s.created_token, s.id COLLATE "C"`,
      [username, eventIds ?? null, calendarIds ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** Writes one change and its audience to the log. */
  async recordChange(token: number, change: ChangeEntry, actor: string, modified: string): Promise<void> {
    const { id } = (await this.sql.one<{ id: number }>(
      `INSERT INTO calendar_changes (sync_token, resource, resource_id, calendar_id, action, actor, modified)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [token, change.resource, change.id, change.calendarId, change.action, actor, modified],
    ))!;
    await this.sql.run('INSERT INTO calendar_change_audience (change_id, username) SELECT $1, unnest($2::text[])', [
      id,
      [...change.audience.keys()],
    ]);
  }

  /**
   * Ids of resources that changed for `username` after `token`, ordered by their first such change so
   * that offset paging stays stable while new changes arrive (they only ever append).
   */
  async changedIds(username: string, resource: string, token: number, calendarIds?: string[]): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT c.resource_id AS id, MIN(c.sync_token) AS first FROM calendar_change_audience a
       JOIN calendar_changes c ON c.id = a.change_id
       WHERE a.username = $1 AND c.resource = $2 AND c.sync_token > $3
         AND ($4::text[] IS NULL OR c.calendar_id = ANY($4::text[]))
       GROUP BY c.resource_id ORDER BY first, c.resource_id COLLATE "C"`,
      [username, resource, token, calendarIds ?? null],
    );
    return rows.map((r) => r.id);
  }
}
