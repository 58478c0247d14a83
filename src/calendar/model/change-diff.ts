// Who learns about a write, and how (DESIGN.md section 3: "one item per affected user"). A write is
// described by snapshots of what it touched before and after; a user who gains sight of a resource sees
// it `created`, one who loses it sees it `deleted` (a tombstone), one who keeps it sees it `updated` when
// it or their access changed. Deriving every entry from snapshots keeps shares, invitations and
// permission changes consistent without a rule per operation.

import { calendarLevel, subscriptionAudience, subscriptionLevel } from './permissions.js';
import type {
  AccessLevel,
  ChangeAction,
  ChangeEntry,
  CalendarWithShares,
  EventAccess,
  EventRecord,
  SubscriptionRecord,
} from './types.js';

export interface EventSnapshot {
  event: EventRecord | null;
  subscriptions: SubscriptionRecord[];
}

export interface CalendarContext {
  calendarId: string;
  calendarTimezone: string;
  sharedCalendar: boolean;
}

export function eventWriters(subscriptions: SubscriptionRecord[]): string[] {
  return subscriptions.filter((s) => {
    const level = subscriptionLevel(s);
    return level === 'owner' || level === 'write';
  }).map((s) => s.username);
}

/** Splits an audience diff into created / updated / deleted groups, dropping empty groups. */
function groups<T>(
  before: Map<string, T>,
  after: Map<string, T>,
  changedFor: (user: string) => boolean,
): Array<[ChangeAction, Map<string, T | null>]> {
  const created = new Map<string, T | null>();
  const updated = new Map<string, T | null>();
  const deleted = new Map<string, T | null>();
  for (const [user, value] of after) {
    if (!before.has(user)) created.set(user, value);
    else if (changedFor(user)) updated.set(user, value);
  }
  for (const user of before.keys()) if (!after.has(user)) deleted.set(user, null);
  const out: Array<[ChangeAction, Map<string, T | null>]> = [];
  if (created.size > 0) out.push(['created', created]);
  if (updated.size > 0) out.push(['updated', updated]);
  if (deleted.size > 0) out.push(['deleted', deleted]);
  return out;
}

function accessMap(snapshot: EventSnapshot): Map<string, EventAccess> {
  const out = new Map<string, EventAccess>();
  if (!snapshot.event) return out;
  for (const s of snapshot.subscriptions) {
    const level = subscriptionLevel(s);
    if (level !== null) out.set(s.username, { level, subscription: s });
  }
  return out;
}

function audienceOf(sub: SubscriptionRecord | undefined, writers: string[]): Map<string, true> {
  const out = new Map<string, true>();
  if (sub) for (const user of subscriptionAudience(sub, writers)) out.set(user, true);
  return out;
}

/** The changes of one event and its subscriptions; `eventChanged` when the event row itself was written. */
export function diffEvent(before: EventSnapshot, after: EventSnapshot, ctx: CalendarContext, eventChanged: boolean): ChangeEntry[] {
  const event = after.event ?? before.event;
  if (!event) return [];
  const out: ChangeEntry[] = [];
  const accessBefore = accessMap(before);
  const accessAfter = accessMap(after);
  const changedFor = (user: string): boolean =>
    eventChanged || accessBefore.get(user)!.subscription.syncToken !== accessAfter.get(user)!.subscription.syncToken;
  for (const [action, audience] of groups(accessBefore, accessAfter, changedFor)) {
    out.push({ resource: 'event', id: event.id, action, calendarId: ctx.calendarId, sharedCalendar: ctx.sharedCalendar, event, calendarTimezone: ctx.calendarTimezone, audience });
  }
  const writersBefore = before.event ? eventWriters(before.subscriptions) : [];
  const writersAfter = after.event ? eventWriters(after.subscriptions) : [];
  const subsBefore = new Map(before.subscriptions.map((s) => [s.id, s]));
  const subsAfter = new Map(after.event ? after.subscriptions.map((s) => [s.id, s]) : []);
  for (const id of new Set([...subsBefore.keys(), ...subsAfter.keys()])) {
    const b = subsBefore.get(id);
    const a = subsAfter.get(id);
    const rowChanged = b !== undefined && a !== undefined && b.syncToken !== a.syncToken;
    for (const [action, audience] of groups(audienceOf(b, writersBefore), audienceOf(a, writersAfter), () => rowChanged)) {
      out.push({ resource: 'event_subscription', id, action, calendarId: ctx.calendarId, sharedCalendar: ctx.sharedCalendar, subscription: (a ?? b)!, audience });
    }
  }
  return out;
}

function calendarAudience(c: CalendarWithShares | null): Map<string, AccessLevel> {
  const out = new Map<string, AccessLevel>();
  if (!c) return out;
  out.set(c.calendar.owner, 'owner');
  for (const s of c.shares) out.set(s.username, calendarLevel(c, s.username)!);
  return out;
}

/** The changes of a calendar row (including its share list) between two snapshots. */
export function diffCalendar(before: CalendarWithShares | null, after: CalendarWithShares | null): ChangeEntry[] {
  const calendar = after ?? before;
  if (!calendar) return [];
  const rowChanged = before !== null && after !== null && before.calendar.syncToken !== after.calendar.syncToken;
  const levelsBefore = calendarAudience(before);
  const levelsAfter = calendarAudience(after);
  const sharedCalendar = (before?.shares.length ?? 0) > 0 || (after?.shares.length ?? 0) > 0;
  return groups(levelsBefore, levelsAfter, (u) => rowChanged || levelsBefore.get(u) !== levelsAfter.get(u)).map(
    ([action, audience]): ChangeEntry => ({
      resource: 'calendar',
      id: calendar.calendar.id,
      action,
      calendarId: calendar.calendar.id,
      sharedCalendar,
      calendar,
      audience,
    }),
  );
}
