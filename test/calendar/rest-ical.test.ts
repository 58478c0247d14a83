// iCalendar over REST: GET /calendars/:id/ical exports text/calendar, POST imports it; a round trip through
// the API gives back the same events and the same instances.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';

const paris = (date_time: string) => ({ date_time, timezone: 'Europe/Paris' });

describe('REST iCalendar import and export', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
  });
  after(async () => {
    await h.close();
  });

  it('an exported calendar imported into another gives the same events and instances', async () => {
    const source = (await alice.post('/calendars', { title: 'Source', timezone: 'Europe/Paris' })).body.id;
    await alice.post('/events', {
      calendar_id: source,
      uid: 'weekly@example.com',
      title: 'Weekly, with "quotes"; and semicolons',
      description: 'Line 1\nLine 2',
      start: paris('2026-03-16T09:00:00'),
      end: paris('2026-03-16T09:30:00'),
      rrule: 'FREQ=WEEKLY;COUNT=6',
      exdates: ['2026-03-23T09:00:00'],
      overrides: { '2026-04-06T09:00:00': { title: 'Moved', start: paris('2026-04-07T11:00:00') } },
    });
    await alice.post('/events', { calendar_id: source, uid: 'trip@example.com', title: 'Trip', start: { date: '2026-05-01' }, end: { date: '2026-05-04' } });

    const exported = await alice.get(`/calendars/${source}/ical`);
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.match(exported.text, /^BEGIN:VCALENDAR\r\n/);

    // All-day events are days in their calendar's zone, so the target shares the source's zone.
    const target = (await alice.post('/calendars', { title: 'Target', timezone: 'Europe/Paris' })).body.id;
    const imported = await alice.post(`/calendars/${target}/ical`, exported.text, { 'content-type': 'text/calendar' });
    assert.equal(imported.status, 200);
    assert.deepEqual([imported.body.created.length, imported.body.updated.length, imported.body.skipped], [2, 0, []]);

    const pick = (e: Record<string, unknown>) => [e.uid, e.title, e.description, e.start, e.end, e.rrule, e.exdates, e.overrides];
    const list = async (cal: string) => (await alice.get(`/events?calendar_ids=${cal}`)).body.items.map(pick).sort();
    assert.deepEqual(await list(target), await list(source));
    const instants = async (cal: string) =>
      (await alice.get(`/events?calendar_ids=${cal}&expand=true&start=2026-01-01&end=2027-01-01`)).body.items.map(
        (i: { title: string; start_utc: string; end_utc: string }) => [i.title, i.start_utc, i.end_utc],
      );
    assert.deepEqual(await instants(target), await instants(source));
  });

  it('importing again updates the events with the same UID in one sync token', async () => {
    const cal = (await alice.post('/calendars', { title: 'Reimport' })).body.id;
    const doc = (title: string) =>
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:test', 'BEGIN:VEVENT', 'UID:same@example.com', `SUMMARY:${title}`, 'DTSTART:20260601T100000Z', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const first = await alice.post(`/calendars/${cal}/ical`, doc('First'), { 'content-type': 'text/calendar' });
    const second = await alice.post(`/calendars/${cal}/ical`, doc('Second'), { 'content-type': 'text/calendar; charset=utf-8' });
    assert.deepEqual([second.body.created, second.body.updated], [[], first.body.created]);
    const e = (await alice.get(`/events/${first.body.created[0]}`)).body;
    assert.deepEqual([e.title, e.sequence, e.sync_token], ['Second', 1, second.body.sync_token]);
  });

  it('refuses what is not iCalendar, other media types, and writers without permission', async () => {
    const cal = (await alice.post('/calendars', { title: 'Guarded' })).body.id;
    const garbage = await alice.post(`/calendars/${cal}/ical`, 'hello', { 'content-type': 'text/calendar' });
    assert.deepEqual([garbage.status, garbage.body.field], [400, 'body']);
    const json = await alice.post(`/calendars/${cal}/ical`, { events: [] });
    assert.deepEqual([json.status, json.body.error], [415, 'unsupported_media_type']);
    assert.equal((await bob.get(`/calendars/${cal}/ical`)).status, 403);
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'read' });
    assert.equal((await bob.get(`/calendars/${cal}/ical`)).status, 200);
    const doc = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n';
    assert.equal((await bob.post(`/calendars/${cal}/ical`, doc, { 'content-type': 'text/calendar' })).status, 403);
    assert.equal((await alice.get('/calendars/nope/ical')).status, 404);
  });
});
