// `almanac serve --demo` (config key `demo`): two accounts, demo/demo and friend/friend, and a shared
// "Team" calendar with events in the current week (one of them a weekday RRULE, RFC 5545 3.8.5.3), so
// that a new user sees a live calendar at once: sign in as demo in one window and friend in another,
// change an event in one and watch the other. Idempotent: accounts and calendars that exist are kept,
// so restarting with --demo never duplicates anything, and changes made while trying it survive.

import type { AccountStore } from '../storage/accounts.js';
import type { CalendarStore, Committed, WriteContext } from '../storage/calendar-store.js';
import { committedChanges, type ChangeSink } from './feed/change.js';
import type { EventData, EventTime } from './model/types.js';
import { canonicalZone, ZoneRules } from './time/zone-rules.js';
import { DAY_MS, formatLocalDate, localDateToWall } from './time/wall-clock.js';

export const DEMO_ACCOUNTS = [
  { username: 'demo', password: 'demo' },
  { username: 'friend', password: 'friend' },
] as const;

export const DEMO_CALENDARS = { team: 'Team', personal: 'Personal', friend: "Friend's plans" } as const;

export interface DemoStores {
  accounts: AccountStore;
  calendars: CalendarStore;
  /** Where committed changes go, so the seed shows up on the feed like any other write. */
  feed?: ChangeSink;
}

export interface DemoOptions {
  now?: Date;
  /** IANA zone of the demo calendars; default the server's own zone. */
  timezone?: string;
}

export interface DemoSeedResult {
  /** Accounts created by this run (existing ones are left alone). */
  createdAccounts: string[];
  /** Calendars created by this run, by title. */
  createdCalendars: string[];
  accounts: ReadonlyArray<{ username: string; password: string }>;
}

/** Monday 00:00 of the week containing `now`, in `zone`, as a local YYYY-MM-DD. */
function mondayOf(now: Date, zone: string): string {
  const wall = ZoneRules.of(zone).wallAt(now.getTime());
  const weekday = (new Date(wall).getUTCDay() + 6) % 7;
  return formatLocalDate(wall - weekday * DAY_MS - (wall % DAY_MS));
}

function day(monday: string, offset: number): string {
  return formatLocalDate(localDateToWall(monday) + offset * DAY_MS);
}

function at(date: string, time: string, zone: string): EventTime {
  return { date_time: `${date}T${time}:00`, timezone: zone };
}

function event(fields: Partial<EventData> & Pick<EventData, 'uid' | 'title' | 'start' | 'end'>): EventData {
  return { description: '', location: '', color: null, rrule: null, rdates: [], exdates: [], overrides: {}, ...fields };
}

/** The events of each demo calendar, in the week of `now`. */
function demoEvents(monday: string, zone: string): Record<keyof typeof DEMO_CALENDARS, EventData[]> {
  const d = (n: number) => day(monday, n);
  return {
    team: [
      event({
        uid: 'demo-standup@almanac',
        title: 'Stand-up',
        description: 'Fifteen minutes, every weekday.',
        start: at(d(0), '09:30', zone),
        end: at(d(0), '09:45', zone),
        rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      }),
      event({ uid: 'demo-planning@almanac', title: 'Sprint planning', location: 'Room 2', start: at(d(1), '14:00', zone), end: at(d(1), '15:30', zone) }),
      event({ uid: 'demo-lunch@almanac', title: 'Team lunch', location: 'Canteen', color: '#e0913a', start: at(d(2), '12:30', zone), end: at(d(2), '13:30', zone) }),
      event({ uid: 'demo-release@almanac', title: 'Release day', color: '#c0392b', start: { date: d(4) }, end: { date: d(5) } }),
    ],
    personal: [event({ uid: 'demo-gym@almanac', title: 'Gym', start: at(d(3), '18:00', zone), end: at(d(3), '19:00', zone) })],
    friend: [event({ uid: 'demo-friend-review@almanac', title: 'Design review', start: at(d(3), '10:00', zone), end: at(d(3), '11:00', zone) })],
  };
}

export async function seedDemo(stores: DemoStores, options: DemoOptions = {}): Promise<DemoSeedResult> {
  const now = options.now ?? new Date();
  const zone = canonicalZone(options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
  const result: DemoSeedResult = { createdAccounts: [], createdCalendars: [], accounts: DEMO_ACCOUNTS };
  for (const { username, password } of DEMO_ACCOUNTS) {
    if (await stores.accounts.exists(username)) continue;
    await stores.accounts.create(username, password);
    result.createdAccounts.push(username);
  }

  const publish = async <T>(write: Promise<Committed<T>>, actor: string): Promise<T> => {
    const committed = await write;
    for (const change of committedChanges(committed, actor)) await stores.feed?.committed(change);
    return committed.value;
  };
  const events = demoEvents(mondayOf(now, zone), zone);

  const ensure = async (owner: string, key: keyof typeof DEMO_CALENDARS, color: string, share?: { user: string; permission: 'read' | 'write' }) => {
    const title = DEMO_CALENDARS[key];
    const ctx: WriteContext = { actor: owner, now };
    const owned = await stores.calendars.listCalendars(owner, { limit: 1000, offset: 0 });
    if (owned.items.some((c) => 'calendar' in c && c.level === 'owner' && c.calendar.calendar.title === title)) return;
    const created = await publish(stores.calendars.createCalendar(ctx, { title, color, timezone: zone, description: '' }), owner);
    const id = created.calendar.calendar.id;
    if (share) await publish(stores.calendars.putShare(ctx, id, share.user, share.permission), owner);
    for (const data of events[key]) await publish(stores.calendars.createEvent(ctx, id, data), owner);
    result.createdCalendars.push(title);
  };
  await ensure('demo', 'team', '#3a7bd5', { user: 'friend', permission: 'write' });
  await ensure('demo', 'personal', '#27ae60');
  await ensure('friend', 'friend', '#8e44ad', { user: 'demo', permission: 'read' });
  return result;
}

/** The lines printed at start-up so a new user knows where to go and how to sign in. */
export function demoInstructions(webUrl: string): string[] {
  return [
    `demo: open ${webUrl} and sign in as demo / demo;`,
    'demo: sign in as friend / friend in a second (private) window and edit a Team event in one to see it change live in the other.',
  ];
}
