// Read side of the SQLite calendar store: what one user may see (calendar/model/permissions.ts), lists
// with offset paging, and sync answers (DESIGN.md section 3: "only what changed after T, deletions as
// tombstones"), driven by the per-user change log so that losing access shows up as a tombstone too. The
// rules themselves are shared with the PostgreSQL store (storage/calendar-read-rules.ts); this loads rows.

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

export class CalendarReads {
  constructor(private readonly rows: CalendarRows) {}

  private checkToken(token: number | undefined): number {
    return checkSyncToken(token, this.rows.tokenBounds());
  }

  calendarFor(viewer: string, id: string): VisibleCalendar | undefined {
    return visibleCalendar(this.rows.calendar(id), viewer);
  }

  getCalendar(viewer: string, id: string): VisibleCalendar {
    return visibleCalendarOrThrow(this.rows.calendar(id), viewer, id);
  }

  listCalendars(viewer: string, q: CalendarQuery): SyncList<VisibleCalendar> {
    const current = this.checkToken(q.syncToken);
    if (q.syncToken === undefined) {
      const all = this.rows.visibleCalendarIds(viewer).map((id) => this.calendarFor(viewer, id)!);
      return page(all, q, current);
    }
    const items = this.rows.changedIds(viewer, 'calendar', q.syncToken).map((id) => this.calendarFor(viewer, id) ?? tombstone(id));
    return page(items, q, current);
  }

  eventFor(viewer: string, id: string): VisibleEvent | undefined {
    const event = this.rows.event(id);
    const subscription = event && this.rows.subscriptionOf(id, viewer);
    const access = eventAccess(subscription);
    if (!event || !access) return undefined;
    return { event, access, calendarTimezone: this.rows.calendarTimezone(event.calendarId)! };
  }

  getEvent(viewer: string, id: string): VisibleEvent {
    const visible = this.eventFor(viewer, id);
    if (visible) return visible;
    throw eventRefusal(Boolean(this.rows.event(id)), id);
  }

  listEvents(viewer: string, q: EventQuery): SyncList<VisibleEvent> {
    const current = this.checkToken(q.syncToken);
    const keep = (v: VisibleEvent): boolean => {
      if (q.range && !this.inPrefilter(v.event.id, q.range)) return false;
      return q.filter ? q.filter(v) : true;
    };
    if (q.syncToken === undefined) {
      const ids = this.rows.visibleEventIds(viewer, q.calendarIds, q.range);
      if (!q.filter) {
        const slice = page(ids, q, current);
        return { ...slice, items: slice.items.map((id) => this.eventFor(viewer, id)!) };
      }
      const all: VisibleEvent[] = [];
      for (const id of ids) {
        const v = this.eventFor(viewer, id)!;
        if (q.filter(v)) all.push(v);
      }
      return page(all, q, current);
    }
    const items: Array<VisibleEvent | Tombstone> = [];
    for (const id of this.rows.changedIds(viewer, 'event', q.syncToken, q.calendarIds)) {
      const v = this.eventFor(viewer, id);
      if (!v) items.push(tombstone(id));
      else if (keep(v)) items.push(v);
    }
    return page(items, q, current);
  }

  private inPrefilter(eventId: string, range: { fromUtc: number; toUtc: number }): boolean {
    return boundsOverlap(this.rows.eventBounds(eventId)!, range);
  }

  subscriptionVisible(viewer: string, sub: SubscriptionRecord): boolean {
    return subscriptionVisible(viewer, sub, this.rows.subscriptionsOfEvent(sub.eventId));
  }

  getSubscription(viewer: string, id: string): SubscriptionRecord {
    const sub = subscriptionOrThrow(this.rows.subscription(id), id);
    checkSubscriptionVisible(viewer, sub, this.rows.subscriptionsOfEvent(sub.eventId));
    return sub;
  }

  listSubscriptions(viewer: string, q: SubscriptionQuery): SyncList<SubscriptionRecord> {
    const current = this.checkToken(q.syncToken);
    if (q.syncToken === undefined) {
      const ids = this.rows.visibleSubscriptionIds(viewer, q.eventIds, q.calendarIds);
      const slice = page(ids, q, current);
      return { ...slice, items: slice.items.map((id) => this.rows.subscription(id)!) };
    }
    const items: Array<SubscriptionRecord | Tombstone> = [];
    for (const id of this.rows.changedIds(viewer, 'event_subscription', q.syncToken, q.calendarIds)) {
      const sub = this.rows.subscription(id);
      if (!sub || !this.subscriptionVisible(viewer, sub)) items.push(tombstone(id));
      else if (!q.eventIds || q.eventIds.includes(sub.eventId)) items.push(sub);
    }
    return page(items, q, current);
  }
}
