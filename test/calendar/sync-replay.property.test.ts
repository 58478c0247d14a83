// DESIGN.md section 3: "A client that reconnects calls the REST list endpoints with its last sync token
// and so misses nothing". Property: after any sequence of writes by several users (events, shares,
// invitations, deletions), applying the sync answer for T to the list a user saw at T gives exactly the
// list that user sees now, for calendars, events and subscriptions alike.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteCalendarStore } from '../../src/storage/sqlite/calendar-store.js';
import { parseCalendarCreate } from '../../src/calendar/model/calendar-input.js';
import { parseEventCreate } from '../../src/calendar/model/event-input.js';
import { calendarJson, eventJson, subscriptionJson } from '../../src/calendar/model/views.js';
import { CalendarError } from '../../src/calendar/model/errors.js';
import { isTombstone } from '../../src/calendar/model/types.js';
import type { CalendarStore, SyncList } from '../../src/storage/calendar-store.js';

const USERS = ['alice', 'bob', 'carol'] as const;
type User = (typeof USERS)[number];

type Op =
  | { kind: 'calendar'; user: User }
  | { kind: 'event'; user: User; cal: number }
  | { kind: 'edit'; user: User; ev: number }
  | { kind: 'deleteEvent'; user: User; ev: number }
  | { kind: 'share'; owner: User; cal: number; to: User; write: boolean }
  | { kind: 'unshare'; owner: User; cal: number; to: User }
  | { kind: 'invite'; user: User; ev: number; to: User }
  | { kind: 'rsvp'; user: User; sub: number }
  | { kind: 'withdraw'; user: User; sub: number }
  | { kind: 'deleteCalendar'; user: User; cal: number };

const user = fc.constantFrom(...USERS);
const index = fc.nat({ max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('calendar' as const), user }),
  fc.record({ kind: fc.constant('event' as const), user, cal: index }),
  fc.record({ kind: fc.constant('edit' as const), user, ev: index }),
  fc.record({ kind: fc.constant('deleteEvent' as const), user, ev: index }),
  fc.record({ kind: fc.constant('share' as const), owner: user, cal: index, to: user, write: fc.boolean() }),
  fc.record({ kind: fc.constant('unshare' as const), owner: user, cal: index, to: user }),
  fc.record({ kind: fc.constant('invite' as const), user, ev: index, to: user }),
  fc.record({ kind: fc.constant('rsvp' as const), user, sub: index }),
  fc.record({ kind: fc.constant('withdraw' as const), user, sub: index }),
  fc.record({ kind: fc.constant('deleteCalendar' as const), user, cal: index }),
);

type Snapshot = Map<string, string>;
const BIG = { limit: 100_000, offset: 0 };

function toSnapshot(list: SyncList<object>, render: (v: never) => object): Snapshot {
  const out: Snapshot = new Map();
  for (const item of list.items) if (!isTombstone(item)) out.set((render(item as never) as { id: string }).id, JSON.stringify(render(item as never)));
  return out;
}

async function snapshots(store: CalendarStore, u: User, syncToken?: number) {
  const q = { ...BIG, syncToken };
  return {
    calendars: await store.listCalendars(u, q),
    events: await store.listEvents(u, q),
    subscriptions: await store.listSubscriptions(u, q),
  };
}

const renderers = { calendars: calendarJson, events: eventJson, subscriptions: subscriptionJson } as const;

function replay(before: Snapshot, delta: SyncList<object>, render: (v: never) => object): Snapshot {
  const out = new Map(before);
  for (const item of delta.items) {
    if (isTombstone(item)) out.delete(item.id);
    else {
      const json = render(item as never) as { id: string };
      out.set(json.id, JSON.stringify(json));
    }
  }
  return out;
}

async function apply(store: CalendarStore, o: Op, ids: { cals: string[]; evs: string[]; subs: string[] }): Promise<void> {
  const ctx = (actor: User) => ({ actor, now: new Date('2026-11-24T10:15:00Z') });
  const pick = (list: string[], i: number) => list[i % Math.max(1, list.length)] ?? 'none';
  switch (o.kind) {
    case 'calendar':
      ids.cals.push((await store.createCalendar(ctx(o.user), parseCalendarCreate({ title: 'c' }))).value.calendar.calendar.id);
      return;
    case 'event': {
      const { data } = parseEventCreate({ calendar_id: 'x', title: 'e', start: { date: '2026-05-04' }, rrule: 'FREQ=DAILY;COUNT=3' });
      ids.evs.push((await store.createEvent(ctx(o.user), pick(ids.cals, o.cal), data)).value.event.id);
      return;
    }
    case 'edit':
      await store.updateEvent(ctx(o.user), pick(ids.evs, o.ev), (e) => ({ ...e, title: `${e.title}!` }), {});
      return;
    case 'deleteEvent':
      await store.deleteEvent(ctx(o.user), pick(ids.evs, o.ev), {});
      return;
    case 'share':
      await store.putShare(ctx(o.owner), pick(ids.cals, o.cal), o.to, o.write ? 'write' : 'read');
      return;
    case 'unshare':
      await store.deleteShare(ctx(o.owner), pick(ids.cals, o.cal), o.to);
      return;
    case 'invite':
      ids.subs.push((await store.inviteToEvent(ctx(o.user), pick(ids.evs, o.ev), o.to, 'read')).value.id);
      return;
    case 'rsvp':
      await store.updateSubscription(ctx(o.user), pick(ids.subs, o.sub), { rsvp: 'attending' }, {});
      return;
    case 'withdraw':
      await store.deleteSubscription(ctx(o.user), pick(ids.subs, o.sub), {});
      return;
    case 'deleteCalendar':
      await store.deleteCalendar(ctx(o.user), pick(ids.cals, o.cal), {});
      return;
  }
}

describe('sync replay', () => {
  it('the state at T plus the sync answer for T is the current state, for every user and list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.nat({ max: 25 }), async (ops, cut) => {
        const database = new SqliteDatabase(':memory:');
        try {
          const store = new SqliteCalendarStore(database);
          const ids = { cals: [] as string[], evs: [] as string[], subs: [] as string[] };
          const seen = new Map<User, Awaited<ReturnType<typeof snapshots>>>();
          let token = 0;
          for (const [i, o] of ops.entries()) {
            if (i === cut % ops.length) {
              token = await store.currentSyncToken();
              for (const u of USERS) seen.set(u, await snapshots(store, u));
            }
            try {
              await apply(store, o, ids);
            } catch (err) {
              // Refused writes (no permission, unknown id, conflicts) are part of the scenario.
              if (!(err instanceof CalendarError)) throw err;
            }
          }
          for (const u of USERS) {
            const now = await snapshots(store, u);
            const delta = await snapshots(store, u, token);
            const before = seen.get(u)!;
            for (const list of ['calendars', 'events', 'subscriptions'] as const) {
              const render = renderers[list] as (v: never) => object;
              const replayed = replay(toSnapshot(before[list], render), delta[list], render);
              assert.deepEqual(replayed, toSnapshot(now[list], render), `${u} ${list}`);
            }
          }
        } finally {
          database.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
