// Who may see and change what (issue: "a user sees and changes only what their permissions allow").
// A calendar's owner manages it and its shares; a share grants read or write on the calendar and, through
// event subscriptions, on every event in it; an invitation grants read or write on one event. A user's
// level on an event is the highest of these. Kept free of storage so every store applies the same rules.

import type { AccessLevel, CalendarWithShares, Permission, SubscriptionRecord } from './types.js';

export function higherPermission(a: Permission | null, b: Permission | null): Permission | null {
  if (a === 'write' || b === 'write') return 'write';
  if (a === 'read' || b === 'read') return 'read';
  return null;
}

export function canWrite(level: AccessLevel | null | undefined): boolean {
  return level === 'owner' || level === 'write';
}

export function calendarLevel(calendar: CalendarWithShares, username: string): AccessLevel | null {
  if (calendar.calendar.owner === username) return 'owner';
  return calendar.shares.find((s) => s.username === username)?.permission ?? null;
}

/** The level a subscription gives its own user on the event. */
export function subscriptionLevel(sub: SubscriptionRecord): AccessLevel | null {
  if (sub.isOwner) return 'owner';
  return higherPermission(sub.sharePermission, sub.invitePermission);
}

/** How the subscription came about, as shown in its JSON. */
export function subscriptionSource(sub: SubscriptionRecord): 'owner' | 'share' | 'invitation' {
  if (sub.isOwner) return 'owner';
  if (sub.sharePermission !== null) return 'share';
  return 'invitation';
}

/** A subscription still has a reason to exist. */
export function subscriptionIsLive(sub: SubscriptionRecord): boolean {
  return sub.isOwner || sub.sharePermission !== null || sub.invitePermission !== null;
}

/**
 * Who sees a subscription: its own user, and, for an invitation, everyone who may write the event (the
 * organiser side follows the answers). Subscriptions that only mirror ownership or a share are private,
 * so that creating an event does not flood every writer's feed with everyone else's copies.
 */
export function subscriptionAudience(sub: SubscriptionRecord, eventWriters: Iterable<string>): Set<string> {
  const audience = new Set<string>([sub.username]);
  if (sub.invitePermission !== null) for (const w of eventWriters) audience.add(w);
  return audience;
}
