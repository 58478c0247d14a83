// `--demo` (src/calendar/demo-seed.ts): two accounts and shared calendars with events in the current
// week, a weekday RRULE among them, created once however often the server starts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteAccountStore } from '../../src/storage/sqlite/accounts.js';
import { SqliteCalendarStore } from '../../src/storage/sqlite/calendar-store.js';
import { scramHasher } from '../../src/stream/password-credentials.js';
import { seedDemo, DEMO_CALENDARS } from '../../src/calendar/demo-seed.js';
import { expandBetween } from '../../src/calendar/recurrence/expansion.js';
import type { CommittedChange } from '../../src/calendar/feed/change.js';
import type { VisibleCalendar, VisibleEvent } from '../../src/calendar/model/types.js';

function stores() {
  const db = new SqliteDatabase(':memory:');
  const published: CommittedChange[] = [];
  return {
    db,
    published,
    accounts: new SqliteAccountStore(db, scramHasher),
    calendars: new SqliteCalendarStore(db),
    feed: { committed: (c: CommittedChange) => void published.push(c) },
  };
}

const page = { limit: 1000, offset: 0 };
// A Wednesday: the demo week runs from Monday 2026-11-23 to Sunday 2026-11-29 in Europe/Paris.
const now = new Date('2026-11-25T15:00:00Z');

describe('seedDemo', () => {
  it('creates demo/demo and friend/friend', async () => {
    const s = stores();
    const result = await seedDemo(s, { now, timezone: 'Europe/Paris' });
    assert.deepEqual(result.createdAccounts, ['demo', 'friend']);
    assert.equal(await s.accounts.verifyPassword('demo', 'demo'), true);
    assert.equal(await s.accounts.verifyPassword('friend', 'friend'), true);
  });

  it('shares the Team calendar with friend for writing, and friend sees its events', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Europe/Paris' });
    const calendars = (await s.calendars.listCalendars('friend', page)).items as VisibleCalendar[];
    const team = calendars.find((c) => c.calendar.calendar.title === DEMO_CALENDARS.team)!;
    assert.equal(team.level, 'write');
    assert.equal(team.calendar.calendar.timezone, 'Europe/Paris');
    const events = (await s.calendars.listEvents('friend', { ...page, calendarIds: [team.calendar.calendar.id] })).items as VisibleEvent[];
    assert.deepEqual(events.map((e) => e.event.title).sort(), ['Release day', 'Sprint planning', 'Stand-up', 'Team lunch']);
  });

  it('the stand-up recurs every weekday of the current week', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Europe/Paris' });
    const events = (await s.calendars.listEvents('demo', page)).items as VisibleEvent[];
    const standup = events.find((e) => e.event.title === 'Stand-up')!;
    const week = expandBetween(standup.event, Date.parse('2026-11-23T00:00:00+01:00'), Date.parse('2026-11-30T00:00:00+01:00'), 'Europe/Paris', 100);
    assert.deepEqual(
      week.occurrences.map((o) => ('date_time' in o.start ? o.start.date_time : '')),
      ['2026-11-23T09:30:00', '2026-11-24T09:30:00', '2026-11-25T09:30:00', '2026-11-26T09:30:00', '2026-11-27T09:30:00'],
    );
  });

  it('keeps a personal calendar private to demo and shows friend\'s own calendar to demo read-only', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Europe/Paris' });
    const titles = async (user: string) =>
      ((await s.calendars.listCalendars(user, page)).items as VisibleCalendar[]).map((c) => `${c.calendar.calendar.title}:${c.level}`).sort();
    assert.deepEqual(await titles('demo'), ["Friend's plans:read", 'Personal:owner', 'Team:owner']);
    assert.deepEqual(await titles('friend'), ["Friend's plans:owner", 'Team:write']);
  });

  it('hands every committed change to the feed', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Europe/Paris' });
    assert.equal(s.published.length > 0, true);
    assert.equal(Math.max(...s.published.map((c) => c.syncToken)), await s.calendars.currentSyncToken());
    assert.equal(s.published.some((c) => c.resource === 'event' && c.views.has('friend')), true);
  });

  it('a second run creates nothing and keeps changes made in between', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Europe/Paris' });
    const events = (await s.calendars.listEvents('demo', page)).items as VisibleEvent[];
    const lunch = events.find((e) => e.event.title === 'Team lunch')!;
    await s.calendars.updateEvent({ actor: 'friend', now }, lunch.event.id, (e) => ({ ...e, title: 'Team lunch (moved)' }), {});
    const before = await s.calendars.currentSyncToken();
    const again = await seedDemo(s, { now: new Date('2026-12-09T10:00:00Z'), timezone: 'Europe/Paris' });
    assert.deepEqual([again.createdAccounts, again.createdCalendars], [[], []]);
    assert.equal(await s.calendars.currentSyncToken(), before);
    assert.equal((await s.calendars.getEvent('demo', lunch.event.id)).event.title, 'Team lunch (moved)');
  });

  it('an unknown time zone falls back to UTC', async () => {
    const s = stores();
    await seedDemo(s, { now, timezone: 'Mars/Olympus' });
    const calendars = (await s.calendars.listCalendars('demo', page)).items as VisibleCalendar[];
    assert.deepEqual([...new Set(calendars.map((c) => c.calendar.calendar.timezone))], ['UTC']);
  });
});
