// What one user may see of the calendar store and how its lists page (DESIGN.md section 3: offset pages,
// sync answers with "only what changed after T, deletions as tombstones"; calendar/model/permissions.ts
// decides the levels). Shared by the SQLite and PostgreSQL stores so that a list, a page boundary or a
// 404/403 answer is the same whichever backend serves it; the backends only load the rows.

import { ForbiddenError, NotFoundError, SyncTokenExpiredError, ValidationError } from '../calendar/model/errors.js';
import { calendarLevel, subscriptionAudience, subscriptionLevel } from '../calendar/model/permissions.js';
import { eventWriters } from '../calendar/model/change-diff.js';
import type {
  CalendarWithShares,
  EventAccess,
  EventBounds,
  SubscriptionRecord,
  Tombstone,
  VisibleCalendar,
} from '../calendar/model/types.js';
import type { Page } from './calendar-store.js';

export function page<T>(items: T[], q: Page, syncToken: number): { items: T[]; syncToken: number; hasMore: boolean } {
  return { items: items.slice(q.offset, q.offset + q.limit), syncToken, hasMore: items.length > q.offset + q.limit };
}

export function tombstone(id: string): Tombstone {
  return { id, deleted: true };
}

/**
 * A client's sync token cannot be ahead of the store, nor older than the change log still kept
 * (`oldest`: the newest token whose changes were pruned; changes after it are all still there).
 * Answers with the current token, the list's new one.
 */
export function checkSyncToken(token: number | undefined, bounds: SyncTokenBounds): number {
  if (token !== undefined && token > bounds.current) {
    throw new ValidationError('sync_token', `is newer than the newest change (${bounds.current}); list without it to resync`);
  }
  if (token !== undefined && token < bounds.oldest) throw new SyncTokenExpiredError(bounds.oldest);
  return bounds.current;
}

export interface SyncTokenBounds {
  current: number;
  oldest: number;
}

/** The stored prefilter of an event (first start, last end or open-ended) against [fromUtc, toUtc). */
export function boundsOverlap(bounds: EventBounds, range: { fromUtc: number; toUtc: number }): boolean {
  return bounds.firstStartMs < range.toUtc && (bounds.lastEndMs === null || bounds.lastEndMs >= range.fromUtc);
}

export function visibleCalendar(calendar: CalendarWithShares | undefined, viewer: string): VisibleCalendar | undefined {
  const level = calendar && calendarLevel(calendar, viewer);
  return level ? { calendar: calendar!, level } : undefined;
}

/** 404 for a calendar that does not exist, 403 for one not shared with the viewer. */
export function visibleCalendarOrThrow(calendar: CalendarWithShares | undefined, viewer: string, id: string): VisibleCalendar {
  if (!calendar) throw new NotFoundError('calendar', id);
  const level = calendarLevel(calendar, viewer);
  if (!level) throw new ForbiddenError('the calendar is not shared with you');
  return { calendar, level };
}

/** A user sees an event through their own subscription, if it still grants a level. */
export function eventAccess(subscription: SubscriptionRecord | undefined): EventAccess | undefined {
  const level = subscription && subscriptionLevel(subscription);
  return subscription && level ? { level, subscription } : undefined;
}

/** Why an event the viewer cannot see is refused: 404 if it does not exist, else 403. */
export function eventRefusal(exists: boolean, id: string): Error {
  return exists ? new ForbiddenError('you are not subscribed to this event') : new NotFoundError('event', id);
}

/** `eventSubscriptions` are all the subscriptions of the subscription's event. */
export function subscriptionVisible(viewer: string, sub: SubscriptionRecord, eventSubscriptions: SubscriptionRecord[]): boolean {
  return subscriptionAudience(sub, eventWriters(eventSubscriptions)).has(viewer);
}

export function checkSubscriptionVisible(viewer: string, sub: SubscriptionRecord, eventSubscriptions: SubscriptionRecord[]): void {
  if (!subscriptionVisible(viewer, sub, eventSubscriptions)) throw new ForbiddenError('this subscription is not yours');
}
