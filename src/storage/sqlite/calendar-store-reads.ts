// Read side of the SQLite calendar store: what one user may see (calendar/model/permissions.ts), lists
// with offset paging, and sync answers (DESIGN.md section 3: "only what changed after T, deletions as
// tombstones"), driven by the per-user change log so that losing access shows up as a tombstone too.

import { ForbiddenError, NotFoundError, ValidationError } from '../../calendar/model/errors.js';
import { calendarLevel, subscriptionAudience, subscriptionLevel } from '../../calendar/model/permissions.js';
import { eventWriters } from '../../calendar/model/change-diff.js';
import type { SubscriptionRecord, Tombstone, VisibleCalendar, VisibleEvent } from '../../calendar/model/types.js';
import type { CalendarQuery, EventQuery, Page, SubscriptionQuery, SyncList } from '../calendar-store.js';
import type { CalendarRows } from './calendar-store-rows.js';

function page<T>(items: T[], q: Page, syncToken: number): { items: T[]; syncToken: number; hasMore: boolean } {
  return { items: items.slice(q.offset, q.offset + q.limit), syncToken, hasMore: items.length > q.offset + q.limit };
}

function tombstone(id: string): Tombstone {
  return { id, deleted: true };
}

export class CalendarReads {
  constructor(private readonly rows: CalendarRows) {}

  private checkToken(token: number | undefined): number {
    const current = this.rows.currentToken();
    if (token !== undefined && token > current) {
      throw new ValidationError('sync_token', `is newer than the newest change (${current}); list without it to resync`);
    }
    return current;
  }

  calendarFor(viewer: string, id: string): VisibleCalendar | undefined {
    const calendar = this.rows.calendar(id);
    const level = calendar && calendarLevel(calendar, viewer);
    return level ? { calendar: calendar!, level } : undefined;
  }

  getCalendar(viewer: string, id: string): VisibleCalendar {
    const calendar = this.rows.calendar(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    const level = calendarLevel(calendar, viewer);
    if (!level) throw new ForbiddenError('the calendar is not shared with you');
    return { calendar, level };
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
    const level = subscription && subscriptionLevel(subscription);
    if (!event || !subscription || !level) return undefined;
    return { event, access: { level, subscription }, calendarTimezone: this.rows.calendarTimezone(event.calendarId)! };
  }

  getEvent(viewer: string, id: string): VisibleEvent {
    const visible = this.eventFor(viewer, id);
    if (visible) return visible;
    if (!this.rows.event(id)) throw new NotFoundError('event', id);
    throw new ForbiddenError('you are not subscribed to this event');
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
    const bounds = this.rows.eventBounds(eventId)!;
    return bounds.firstStartMs < range.toUtc && (bounds.lastEndMs === null || bounds.lastEndMs >= range.fromUtc);
  }

  subscriptionVisible(viewer: string, sub: SubscriptionRecord): boolean {
    const writers = eventWriters(this.rows.subscriptionsOfEvent(sub.eventId));
    return subscriptionAudience(sub, writers).has(viewer);
  }

  getSubscription(viewer: string, id: string): SubscriptionRecord {
    const sub = this.rows.subscription(id);
    if (!sub) throw new NotFoundError('event_subscription', id);
    if (!this.subscriptionVisible(viewer, sub)) throw new ForbiddenError('this subscription is not yours');
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
