// The feed contract (DESIGN.md section 3): after each committed write the REST layer hands every change
// to a ChangeSink, which publishes one item per affected user on feed/<username>. Nothing reaches the sink
// for a write that rolled back, because changes only exist once the store's transaction has committed.

import { calendarJson, eventJson, subscriptionJson } from '../model/views.js';
import type { ChangeEntry } from '../model/types.js';
import type { Committed } from '../../storage/calendar-store.js';

export type FeedResource = 'event' | 'calendar' | 'event_subscription';
export type FeedAction = 'created' | 'updated' | 'deleted';

export interface CommittedChange {
  resource: FeedResource;
  id: string;
  action: FeedAction;
  syncToken: number;
  /** ISO 8601 UTC time of the commit. */
  modified: string;
  /** Username of the user who made the change. */
  actor: string;
  /** The REST JSON as each affected user sees it; null where the user is to see a deletion. */
  views: Map<string, object | null>;
  calendarId?: string;
  /** The calendar has (or just had) shares, so a calendar/<id> node may also carry the change. */
  sharedCalendar?: boolean;
}

export interface ChangeSink {
  committed(change: CommittedChange): void | Promise<void>;
}

/** A sink that drops everything, for servers without a feed. */
export const discardChanges: ChangeSink = { committed: () => undefined };

function renderViews(entry: ChangeEntry): Map<string, object | null> {
  const views = new Map<string, object | null>();
  switch (entry.resource) {
    case 'calendar': {
      // Every sharee sees the whole share list, so the view is built once per access level, not per user.
      const byLevel = new Map<string, object>();
      for (const [user, level] of entry.audience) {
        if (level === null) {
          views.set(user, null);
          continue;
        }
        let json = byLevel.get(level);
        if (!json) byLevel.set(level, (json = calendarJson({ calendar: entry.calendar, level })));
        views.set(user, json);
      }
      break;
    }
    case 'event':
      for (const [user, access] of entry.audience) {
        views.set(user, access === null ? null : eventJson({ event: entry.event, access, calendarTimezone: entry.calendarTimezone }));
      }
      break;
    case 'event_subscription': {
      const json = subscriptionJson(entry.subscription);
      for (const [user, seen] of entry.audience) views.set(user, seen === null ? null : json);
      break;
    }
  }
  return views;
}

/** The CommittedChanges of one committed write, in the order the store produced them. */
export function committedChanges(committed: Committed<unknown>, actor: string): CommittedChange[] {
  return committed.changes.map((entry) => ({
    resource: entry.resource,
    id: entry.id,
    action: entry.action,
    syncToken: committed.syncToken,
    modified: committed.modified,
    actor,
    views: renderViews(entry),
    calendarId: entry.calendarId,
    sharedCalendar: entry.sharedCalendar,
  }));
}
