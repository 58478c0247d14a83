// Validation of event bodies: RFC 5545 VEVENT rules (3.6.1, 3.8.5, 3.8.4.4) enforced on create and PATCH,
// each failure naming its field.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEventPatch, parseEventCreate } from '../../src/calendar/model/event-input.js';
import { ValidationError } from '../../src/calendar/model/errors.js';
import type { EventRecord } from '../../src/calendar/model/types.js';

const start = { date_time: '2026-03-16T09:00:00', timezone: 'Europe/Paris' };

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  assert.fail('expected a ValidationError');
}

function create(body: Record<string, unknown>) {
  return parseEventCreate({ calendar_id: 'c', title: 'T', start, ...body });
}

function record(body: Record<string, unknown> = {}): EventRecord {
  return { ...create(body).data, id: 'e', calendarId: 'c', created: 'x', modified: 'x', sequence: 0, syncToken: 1 };
}

describe('event validation', () => {
  it('defaults the end to one hour after a timed start and one day after an all-day start', () => {
    assert.deepEqual(create({}).data.end, { date_time: '2026-03-16T10:00:00', timezone: 'Europe/Paris' });
    assert.deepEqual(create({ start: { date: '2026-03-16' } }).data.end, { date: '2026-03-17' });
  });

  it('canonicalises the zone name and reads a Z time as UTC', () => {
    assert.equal((create({ start: { date_time: '2026-03-16T09:00:00', timezone: 'europe/paris' } }).data.start as { timezone: string }).timezone, 'Europe/Paris');
    assert.deepEqual(create({ start: { date_time: '2026-03-16T09:00:00Z' } }).data.start, { date_time: '2026-03-16T09:00:00', timezone: 'UTC' });
  });

  it('names the field of each broken rule', () => {
    assert.equal(fieldOf(() => create({ title: ' ' })), 'title');
    assert.equal(fieldOf(() => create({ start: { date_time: '2026-03-16 09:00', timezone: 'Europe/Paris' } })), 'start.date_time');
    assert.equal(fieldOf(() => create({ start: { date_time: '2026-03-16T09:00:00', timezone: 'Europe/Atlantis' } })), 'start.timezone');
    assert.equal(fieldOf(() => create({ start: { date_time: '2026-03-16T09:00:00' } })), 'start.timezone');
    assert.equal(fieldOf(() => create({ start: { date: '2026-02-30' } })), 'start.date');
    assert.equal(fieldOf(() => create({ start: {} })), 'start');
    assert.equal(fieldOf(() => create({ end: { date: '2026-03-17' } })), 'end');
    assert.equal(fieldOf(() => create({ end: { date_time: '2026-03-16T08:00:00', timezone: 'Europe/Paris' } })), 'end');
    assert.equal(fieldOf(() => create({ color: 'red' })), 'color');
    assert.equal(fieldOf(() => create({ uid: 'has space' })), 'uid');
    assert.equal(fieldOf(() => parseEventCreate({ title: 'T', start })), 'calendar_id');
  });

  it('an all-day end must be a later date than its start', () => {
    assert.equal(fieldOf(() => create({ start: { date: '2026-03-16' }, end: { date: '2026-03-16' } })), 'end');
  });

  it('checks RRULE syntax and refuses SECONDLY and MINUTELY', () => {
    assert.equal(create({ rrule: 'rrule:freq=weekly;byday=mo' }).data.rrule, 'FREQ=WEEKLY;BYDAY=MO');
    for (const rrule of ['BYDAY=MO', 'FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z', 'FREQ=MINUTELY', 'FREQ=WEEKLY;FOO=1', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=DAILY;INTERVAL=0']) {
      assert.equal(fieldOf(() => create({ rrule })), 'rrule', rrule);
    }
  });

  it('RDATE and EXDATE take the form of the start', () => {
    assert.equal(fieldOf(() => create({ rrule: 'FREQ=DAILY', exdates: ['2026-03-17'] })), 'exdates.0');
    assert.deepEqual(create({ rrule: 'FREQ=DAILY', exdates: ['2026-03-18T09:00:00', '2026-03-17T09:00:00', '2026-03-17T09:00:00'] }).data.exdates, [
      '2026-03-17T09:00:00',
      '2026-03-18T09:00:00',
    ]);
  });

  it('an override must name an instance of a recurring series', () => {
    assert.equal(fieldOf(() => create({ overrides: { '2026-03-17T09:00:00': { title: 'x' } } })), 'overrides');
    assert.equal(fieldOf(() => create({ rrule: 'FREQ=WEEKLY', overrides: { '2026-03-17T09:00:00': { title: 'x' } } })), 'overrides.2026-03-17T09:00:00');
    assert.equal(fieldOf(() => create({ rrule: 'FREQ=WEEKLY', overrides: { '2026-03-23T09:00:00': { start: { date: '2026-03-23' } } } })), 'overrides.2026-03-23T09:00:00.start');
    const ok = create({ rrule: 'FREQ=WEEKLY', overrides: { '2026-03-23T09:00:00': { title: 'x' } } });
    assert.deepEqual(ok.data.overrides, { '2026-03-23T09:00:00': { title: 'x' } });
  });
});

describe('event patches', () => {
  it('moving the start keeps the duration', () => {
    const next = applyEventPatch(record({ end: { date_time: '2026-03-16T09:30:00', timezone: 'Europe/Paris' } }), {
      start: { date_time: '2026-03-17T14:00:00', timezone: 'Europe/Paris' },
    });
    assert.deepEqual(next.end, { date_time: '2026-03-17T14:30:00', timezone: 'Europe/Paris' });
  });

  it('overrides that no longer name an instance are dropped when the series moves', () => {
    const current = record({ rrule: 'FREQ=WEEKLY', overrides: { '2026-03-23T09:00:00': { title: 'x' } } });
    assert.deepEqual(applyEventPatch(current, { start: { date_time: '2026-03-16T10:00:00', timezone: 'Europe/Paris' } }).overrides, {});
    assert.deepEqual(applyEventPatch(current, { title: 'renamed' }).overrides, { '2026-03-23T09:00:00': { title: 'x' } });
  });

  it('switching to all-day clears the timed RDATEs and EXDATEs', () => {
    const current = record({ rrule: 'FREQ=DAILY', exdates: ['2026-03-17T09:00:00'] });
    const next = applyEventPatch(current, { start: { date: '2026-03-16' } });
    assert.deepEqual([next.end, next.exdates], [{ date: '2026-03-17' }, []]);
  });

  it('refuses to change the uid or move to another calendar', () => {
    assert.equal(fieldOf(() => applyEventPatch(record(), { uid: 'other' })), 'uid');
    assert.equal(fieldOf(() => applyEventPatch(record(), { calendar_id: 'other' })), 'calendar_id');
  });

  it('null clears the rrule and resets the end', () => {
    const next = applyEventPatch(record({ rrule: 'FREQ=DAILY' }), { rrule: null, end: null });
    assert.equal(next.rrule, null);
    assert.deepEqual(next.end, { date_time: '2026-03-16T10:00:00', timezone: 'Europe/Paris' });
  });
});
