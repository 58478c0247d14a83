// RFC 5545 import and export: a calendar survives the round trip, foreign zone names are resolved, and bad
// documents or events get defined answers.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { exportCalendar } from '../../src/calendar/ical/export.js';
import { parseICalendar } from '../../src/calendar/ical/import.js';
import { parseEventCreate } from '../../src/calendar/model/event-input.js';
import { ValidationError } from '../../src/calendar/model/errors.js';
import type { CalendarRecord, EventData, EventRecord } from '../../src/calendar/model/types.js';
import { expandBetween } from '../../src/calendar/recurrence/expansion.js';

const calendar: CalendarRecord = {
  id: 'cal',
  owner: 'alice',
  title: 'Work, "stuff"; more',
  color: '#112233',
  timezone: 'Europe/Paris',
  description: 'line one\nline two',
  created: '2026-01-01T00:00:00Z',
  modified: '2026-01-01T00:00:00Z',
  syncToken: 1,
};

function event(id: string, body: Record<string, unknown>): EventRecord {
  const { data } = parseEventCreate({ calendar_id: 'cal', ...body });
  return { ...data, id, calendarId: 'cal', created: '2026-01-02T10:00:00Z', modified: '2026-01-03T10:00:00Z', sequence: 2, syncToken: 5 };
}

const events = [
  event('e1', {
    uid: 'standup@example.com',
    title: 'Standup; daily, "quick"',
    description: 'Room\n2',
    location: 'Paris',
    color: '#abcdef',
    start: { date_time: '2026-03-16T09:00:00', timezone: 'Europe/Paris' },
    end: { date_time: '2026-03-16T09:15:00', timezone: 'Europe/Paris' },
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T230000Z',
    rdates: ['2026-03-21T11:00:00'],
    exdates: ['2026-03-18T09:00:00'],
    overrides: { '2026-03-23T09:00:00': { title: 'Long standup', start: { date_time: '2026-03-23T10:00:00', timezone: 'Europe/Paris' } } },
  }),
  event('e2', { uid: 'holiday@example.com', title: 'Holiday', start: { date: '2026-08-03' }, end: { date: '2026-08-08' } }),
  event('e3', {
    uid: 'call@example.com',
    title: 'Call',
    start: { date_time: '2026-05-05T15:00:00', timezone: 'America/New_York' },
    end: { date_time: '2026-05-05T22:00:00', timezone: 'Europe/Paris' },
  }),
  event('e4', { uid: 'utc@example.com', title: 'UTC', start: { date_time: '2026-06-01T12:00:00', timezone: 'UTC' } }),
];

const semantic = (e: EventData) => {
  const { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides } = e;
  return { uid, title, description, location, color, start, end, rrule, rdates, exdates, overrides };
};

describe('iCalendar export', () => {
  const text = exportCalendar(calendar, events, new Date('2026-11-25T10:00:00Z'));

  it('is a VCALENDAR with a VTIMEZONE for each zone used and none for UTC', () => {
    const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    assert.equal(root.getFirstPropertyValue('version'), '2.0');
    assert.equal(root.getFirstPropertyValue('x-wr-calname'), calendar.title);
    const zones = root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')).sort();
    assert.deepEqual(zones, ['America/New_York', 'Europe/Paris']);
  });

  it('writes local times with TZID, UTC times with Z and all-day values as DATE', () => {
    assert.match(text, /DTSTART;TZID=Europe\/Paris:20260316T090000\r\n/);
    assert.match(text, /DTSTART:20260601T120000Z\r\n/);
    assert.match(text, /DTSTART;VALUE=DATE:20260803\r\n/);
    assert.match(text, /RECURRENCE-ID;TZID=Europe\/Paris:20260323T090000\r\n/);
  });

  it('uses CRLF line ends and folds long lines (RFC 5545 3.1)', () => {
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/);
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  });
});

describe('iCalendar import', () => {
  it('reads back what was exported (round trip)', () => {
    const text = exportCalendar(calendar, events, new Date('2026-11-25T10:00:00Z'));
    const parsed = parseICalendar(text, 'UTC');
    assert.deepEqual(parsed.skipped, []);
    assert.deepEqual(parsed.events.map(semantic), events.map(semantic));
  });

  it('imported instances expand to the same instants as the originals', () => {
    const parsed = parseICalendar(exportCalendar(calendar, events, new Date()), 'UTC');
    const from = Date.parse('2026-01-01T00:00:00Z');
    const to = Date.parse('2027-01-01T00:00:00Z');
    const instants = (e: EventData) => expandBetween(e, from, to, 'Europe/Paris').occurrences.map((o) => [o.startUtc, o.endUtc]);
    assert.deepEqual(parsed.events.map(instants), events.map(instants));
  });

  it('resolves a Windows zone name through the VTIMEZONE in the file, and vendor paths to Olson names', () => {
    const text = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:test',
      'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT', 'UID:win', 'SUMMARY:Windows', 'DTSTART;TZID=W. Europe Standard Time:20260702T090000', 'DURATION:PT30M', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:moz', 'SUMMARY:Mozilla', 'DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260702T090000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:floating', 'SUMMARY:Floating', 'DTSTART:20260702T090000', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const byUid = new Map(parseICalendar(text, 'Asia/Tokyo').events.map((e) => [e.uid, e]));
    assert.deepEqual(byUid.get('win')!.start, { date_time: '2026-07-02T07:00:00', timezone: 'UTC' });
    assert.deepEqual(byUid.get('win')!.end, { date_time: '2026-07-02T07:30:00', timezone: 'UTC' });
    assert.deepEqual(byUid.get('moz')!.start, { date_time: '2026-07-02T09:00:00', timezone: 'Europe/Berlin' });
    assert.deepEqual(byUid.get('floating')!.start, { date_time: '2026-07-02T09:00:00', timezone: 'Asia/Tokyo' });
  });

  it('a cancelled instance becomes an EXDATE; an instance without its series is skipped', () => {
    const text = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:test',
      'BEGIN:VEVENT', 'UID:s', 'SUMMARY:Series', 'DTSTART;VALUE=DATE:20260302', 'RRULE:FREQ=DAILY;COUNT=5', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:s', 'RECURRENCE-ID;VALUE=DATE:20260303', 'STATUS:CANCELLED', 'DTSTART;VALUE=DATE:20260303', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:orphan', 'RECURRENCE-ID:20260303T100000Z', 'DTSTART:20260303T100000Z', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const parsed = parseICalendar(text, 'UTC');
    assert.deepEqual(parsed.events.map((e) => [e.uid, e.exdates]), [['s', ['2026-03-03']]]);
    assert.deepEqual(parsed.skipped.map((s) => s.uid), ['orphan']);
  });

  it('an override that is not an instance is dropped and reported; a broken event is skipped', () => {
    const text = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:test',
      'BEGIN:VEVENT', 'UID:s', 'SUMMARY:Series', 'DTSTART:20260302T100000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:s', 'RECURRENCE-ID:20260310T100000Z', 'SUMMARY:Nope', 'DTSTART:20260310T100000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:bad', 'SUMMARY:Backwards', 'DTSTART:20260302T100000Z', 'DTEND:20260301T100000Z', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const parsed = parseICalendar(text, 'UTC');
    assert.deepEqual(parsed.events.map((e) => [e.uid, Object.keys(e.overrides)]), [['s', []]]);
    assert.deepEqual(parsed.skipped.map((s) => [s.uid, s.field]), [['s', 'overrides.2026-03-10T10:00:00'], ['bad', 'end']]);
  });

  it('a document that is not iCalendar is a validation error on the body', () => {
    for (const text of ['hello', 'BEGIN:VCARD\r\nEND:VCARD\r\n']) {
      assert.throws(() => parseICalendar(text, 'UTC'), (err: unknown) => err instanceof ValidationError && err.field === 'body');
    }
  });
});
