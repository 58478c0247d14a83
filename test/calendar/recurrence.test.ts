// RFC 5545 section 3.8.5 (RRULE, RDATE, EXDATE), 3.8.4.4 (RECURRENCE-ID) and 3.8.2.2/3.8.5.3 (instance
// duration): expansion in the event's local time, then to instants.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventBounds, expandBetween, isOccurrence, type Timing } from '../../src/calendar/recurrence/expansion.js';

const paris = (date_time: string) => ({ date_time, timezone: 'Europe/Paris' });
const utc = (s: string): number => Date.parse(s);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function weekly(extra: Partial<Timing> = {}): Timing {
  return {
    start: paris('2026-03-16T09:00:00'),
    end: paris('2026-03-16T10:00:00'),
    rrule: 'FREQ=WEEKLY',
    rdates: [],
    exdates: [],
    overrides: {},
    ...extra,
  };
}

describe('recurrence expansion', () => {
  it('a weekly 09:00 Europe/Paris event stays at 09:00 local across the March DST change', () => {
    const { occurrences } = expandBetween(weekly(), utc('2026-03-01T00:00:00Z'), utc('2026-04-10T00:00:00Z'), 'UTC');
    assert.deepEqual(
      occurrences.map((o) => [o.recurrenceId, iso(o.startUtc), iso(o.endUtc)]),
      [
        ['2026-03-16T09:00:00', '2026-03-16T08:00:00Z', '2026-03-16T09:00:00Z'],
        ['2026-03-23T09:00:00', '2026-03-23T08:00:00Z', '2026-03-23T09:00:00Z'],
        ['2026-03-30T09:00:00', '2026-03-30T07:00:00Z', '2026-03-30T08:00:00Z'],
        ['2026-04-06T09:00:00', '2026-04-06T07:00:00Z', '2026-04-06T08:00:00Z'],
      ],
    );
  });

  it('and across the October DST change', () => {
    const { occurrences } = expandBetween(weekly(), utc('2026-10-15T00:00:00Z'), utc('2026-11-03T00:00:00Z'), 'UTC');
    assert.deepEqual(
      occurrences.map((o) => [o.start, iso(o.startUtc)]),
      [
        [paris('2026-10-19T09:00:00'), '2026-10-19T07:00:00Z'],
        [paris('2026-10-26T09:00:00'), '2026-10-26T08:00:00Z'],
        [paris('2026-11-02T09:00:00'), '2026-11-02T08:00:00Z'],
      ],
    );
  });

  it('an EXDATE removes its instance and an RDATE adds one', () => {
    const e = weekly({ exdates: ['2026-03-23T09:00:00'], rdates: ['2026-03-25T14:00:00'] });
    const { occurrences } = expandBetween(e, utc('2026-03-16T00:00:00Z'), utc('2026-03-31T00:00:00Z'), 'UTC');
    assert.deepEqual(occurrences.map((o) => o.recurrenceId), ['2026-03-16T09:00:00', '2026-03-25T14:00:00', '2026-03-30T09:00:00']);
  });

  it('COUNT counts instances before EXDATE removes any (RFC 5545 3.8.5.3)', () => {
    const e = weekly({ rrule: 'FREQ=WEEKLY;COUNT=3', exdates: ['2026-03-23T09:00:00'] });
    const { occurrences } = expandBetween(e, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 'UTC');
    assert.deepEqual(occurrences.map((o) => o.recurrenceId), ['2026-03-16T09:00:00', '2026-03-30T09:00:00']);
  });

  it('a UTC UNTIL is compared as the instant it names', () => {
    // 08:00Z on 30 March is 10:00 Paris summer time: the 09:00 instance that day is included.
    const e = weekly({ rrule: 'FREQ=WEEKLY;UNTIL=20260330T080000Z' });
    const { occurrences } = expandBetween(e, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 'UTC');
    assert.deepEqual(occurrences.map((o) => o.recurrenceId), ['2026-03-16T09:00:00', '2026-03-23T09:00:00', '2026-03-30T09:00:00']);
  });

  it('an overridden instance takes its new time and is found in the range it moved to', () => {
    const e = weekly({ overrides: { '2026-04-13T09:00:00': { start: paris('2026-04-03T15:00:00'), title: 'moved' } } });
    const { occurrences } = expandBetween(e, utc('2026-04-01T00:00:00Z'), utc('2026-04-05T00:00:00Z'), 'UTC');
    assert.equal(occurrences.length, 1);
    assert.equal(occurrences[0]!.recurrenceId, '2026-04-13T09:00:00');
    assert.equal(iso(occurrences[0]!.startUtc), '2026-04-03T13:00:00Z');
    // It keeps the series' one-hour duration when only its start moved.
    assert.equal(iso(occurrences[0]!.endUtc), '2026-04-03T14:00:00Z');
  });

  it('an instance leaves the range its original time was in when overridden elsewhere', () => {
    const e = weekly({ overrides: { '2026-03-23T09:00:00': { start: paris('2026-05-01T09:00:00') } } });
    const { occurrences } = expandBetween(e, utc('2026-03-20T00:00:00Z'), utc('2026-03-25T00:00:00Z'), 'UTC');
    assert.deepEqual(occurrences, []);
  });

  it('all-day instances are days in the zone given for them', () => {
    const e: Timing = { start: { date: '2026-03-02' }, end: { date: '2026-03-03' }, rrule: 'FREQ=DAILY;COUNT=2', rdates: [], exdates: [], overrides: {} };
    const { occurrences } = expandBetween(e, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 'America/New_York');
    assert.deepEqual(
      occurrences.map((o) => [o.start, o.end, iso(o.startUtc)]),
      [
        [{ date: '2026-03-02' }, { date: '2026-03-03' }, '2026-03-02T05:00:00Z'],
        [{ date: '2026-03-03' }, { date: '2026-03-04' }, '2026-03-03T05:00:00Z'],
      ],
    );
  });

  it('an instance lasts the exact duration of the master even across a DST change', () => {
    // 20:00 Saturday to 08:00 Sunday is 12 hours in winter; on the spring-forward night it still lasts 12 hours.
    const e = weekly({ start: paris('2026-03-21T20:00:00'), end: paris('2026-03-22T08:00:00') });
    const { occurrences } = expandBetween(e, utc('2026-03-28T00:00:00Z'), utc('2026-03-29T12:00:00Z'), 'UTC');
    assert.equal(iso(occurrences[0]!.startUtc), '2026-03-28T19:00:00Z');
    assert.equal(iso(occurrences[0]!.endUtc), '2026-03-29T07:00:00Z');
    assert.deepEqual(occurrences[0]!.end, paris('2026-03-29T09:00:00'));
  });

  it('a single event is one instance without a recurrence id', () => {
    const e = weekly({ rrule: null });
    const { occurrences } = expandBetween(e, utc('2026-03-16T08:30:00Z'), utc('2026-03-16T08:45:00Z'), 'UTC');
    assert.deepEqual(occurrences.map((o) => o.recurrenceId), [null]);
  });

  it('stops at `max` and says it truncated', () => {
    const { occurrences, truncated } = expandBetween(weekly(), utc('2026-01-01T00:00:00Z'), utc('2030-01-01T00:00:00Z'), 'UTC', 5);
    assert.equal(occurrences.length, 5);
    assert.equal(truncated, true);
  });
});

describe('instances and bounds', () => {
  it('knows which recurrence ids are instances', () => {
    assert.equal(isOccurrence(weekly(), '2026-03-30T09:00:00'), true);
    assert.equal(isOccurrence(weekly(), '2026-03-31T09:00:00'), false);
    assert.equal(isOccurrence(weekly(), '2026-03-30T10:00:00'), false);
  });

  it('an endless series has no last end; a counted one ends with its last instance', () => {
    assert.equal(eventBounds(weekly()).lastEndMs, null);
    const bounds = eventBounds(weekly({ rrule: 'FREQ=WEEKLY;COUNT=3' }));
    assert.equal(iso(bounds.firstStartMs), '2026-03-16T08:00:00Z');
    assert.equal(iso(bounds.lastEndMs!), '2026-03-30T08:00:00Z');
  });

  it('all-day bounds are widened so they hold in any zone', () => {
    const e: Timing = { start: { date: '2026-03-02' }, end: { date: '2026-03-03' }, rrule: null, rdates: [], exdates: [], overrides: {} };
    const bounds = eventBounds(e);
    assert.ok(bounds.firstStartMs <= utc('2026-03-01T10:00:00Z'));
    assert.ok(bounds.lastEndMs! >= utc('2026-03-03T12:00:00Z'));
  });
});
