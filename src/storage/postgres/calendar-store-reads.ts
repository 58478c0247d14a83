// Read side of the PostgreSQL calendar store: what one user may see (calendar/model/permissions.ts),
// lists with offset paging, and sync answers (DESIGN.md section 3: "only what changed after T, deletions
// as tombstones"), driven by the per-user change log so that losing access shows up as a tombstone too.
// Runs inside one REPEATABLE READ transaction per call, so a list and its sync token share one snapshot.
// The rules themselves are shared with the SQLite store (storage/calendar-read-rules.ts); this loads rows.

import type { SubscriptionRecord, Tombstone, VisibleCalendar, VisibleEvent } from '../../calendar/model/types.js';
import type { CalendarQuery, EventQuery, SubscriptionQuery, SyncList } from '../calendar-store.js';
import {
  boundsOverlap,
  checkSubscriptionVisible,
  checkSyncToken,
  eventAccess,
  eventRefusal,
  page,
  subscriptionVisible,
  tombstone,
  visibleCalendar,
  visibleCalendarOrThrow,
} from '../calendar-read-rules.js';
import { subscriptionOrThrow } from '../calendar-write-checks.js';
import type { CalendarRows } from './calendar-store-rows.js';

async function mapAll<T, U>(items: T[], fn: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  // One connection runs one statement at a time anyway; sequential keeps the order obvious.
  for (const item of items) out.push(await fn(item));
  return out;
}

export class CalendarReads {
  constructor(private readonly rows: CalendarRows) {}

  private async checkToken(token: number | undefined): Promise<number> {
    return checkSyncToken(token, await this.rows.tokenBounds());
  }

  async calendarFor(viewer: string, id: string): Promise<VisibleCalendar | undefined> {
    return visibleCalendar(await this.rows.calendar(id), viewer);
  }

  async getCalendar(viewer: string, id: string): Promise<VisibleCalendar> {
    return visibleCalendarOrThrow(await this.rows.calendar(id), viewer, id);
  }

  async listCalendars(viewer: string, q: CalendarQuery): Promise<SyncList<VisibleCalendar>> {
    const current = await this.checkToken(q.syncToken);
    if (q.syncToken === undefined) {
      const ids = page(await this.rows.visibleCalendarIds(viewer), q, current);
      return { ...ids, items: await mapAll(ids.items, async (id) => (await this.calendarFor(viewer, id))!) };
    }
    const changed = page(await this.rows.changedIds(viewer, 'calendar', q.syncToken), q, current);
    return { ...changed, items: await mapAll(changed.items, async (id) => (await this.calendarFor(viewer, id)) ?? tombstone(id)) };
  }

  async eventFor(viewer: string, id: string): Promise<VisibleEvent | undefined> {
    const event = await this.rows.event(id);
    const subscription = event && (await this.rows.subscriptionOf(id, viewer));
    const access = eventAccess(subscription);
    if (!event || !access) return undefined;
    return { event, access, calendarTimezone: (await this.rows.calendarTimezone(event.calendarId))! };
  }

  async getEvent(viewer: string, id: string): Promise<VisibleEvent> {
    const visible = await this.eventFor(viewer, id);
    if (visible) return visible;
    throw eventRefusal(Boolean(await this.rows.event(id)), id);
  }

  async listEvents(viewer: string, q: EventQuery): Promise<SyncList<VisibleEvent>> {
    const current = await this.checkToken(q.syncToken);
    if (q.syncToken === undefined) {
      const ids = await this.rows.visibleEventIds(viewer, q.calendarIds, q.range);
      if (!q.filter) {
        const slice = page(ids, q, current);
        return { ...slice, items: await mapAll(slice.items, async (id) => (await this.eventFor(viewer, id))!) };
      }
      const all: VisibleEvent[] = [];
      for (const id of ids) {
        const v = (await this.eventFor(viewer, id))!;
        if (q.filter(v)) all.push(v);
      }
      return page(all, q, current);
    }
    const items: Array<VisibleEvent | Tombstone> = [];
    for (const id of await this.rows.changedIds(viewer, 'event', q.syncToken, q.calendarIds)) {
      const v = await this.eventFor(viewer, id);
      if (!v) items.push(tombstone(id));
      else if ((!q.range || (await this.inPrefilter(id, q.range))) && (!q.filter || q.filter(v))) items.push(v);
    }
    return page(items, q, current);
  }

  private async inPrefilter(eventId: string, range: { fromUtc: number; toUtc: number }): Promise<boolean> {
    return boundsOverlap((await this.rows.eventBounds(eventId))!, range);
  }

  async subscriptionVisible(viewer: string, sub: SubscriptionRecord): Promise<boolean> {
    return subscriptionVisible(viewer, sub, await this.rows.subscriptionsOfEvent(sub.eventId));
  }

  async getSubscription(viewer: string, id: string): Promise<SubscriptionRecord> {
    const sub = subscriptionOrThrow(await this.rows.subscription(id), id);
    checkSubscriptionVisible(viewer, sub, await this.rows.subscriptionsOfEvent(sub.eventId));
    return sub;
  }

  async listSubscriptions(viewer: string, q: SubscriptionQuery): Promise<SyncList<SubscriptionRecord>> {
    const current = await this.checkToken(q.syncToken);
    if (q.syncToken === undefined) {
      const slice = page(await this.rows.visibleSubscriptionIds(viewer, q.eventIds, q.calendarIds), q, current);
      return { ...slice, items: await mapAll(slice.items, async (id) => (await this.rows.subscription(id))!) };
    }
    const items: Array<SubscriptionRecord | Tombstone> = [];
    for (const id of await this.rows.changedIds(viewer, 'event_subscription', q.syncToken, q.calendarIds)) {
      const sub = await this.rows.subscription(id);
      if (!sub || !(await this.subscriptionVisible(viewer, sub))) items.push(tombstone(id));
      else if (!q.eventIds || q.eventIds.includes(sub.eventId)) items.push(sub);
    }
    return page(items, q, current);
  }
}
