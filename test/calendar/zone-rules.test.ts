// RFC 5545 section 3.3.5: local times with a TZID, including the gap and overlap rules, on Intl's zone data.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalZone, ZoneRules } from '../../src/calendar/time/zone-rules.js';
import { parseLocalDateTime, parseLocalDate, formatLocalDateTime } from '../../src/calendar/time/wall-clock.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('zone names', () => {
  it('canonicalises the case of an Olson name', () => {
    assert.equal(canonicalZone('europe/paris'), 'Europe/Paris');
  });
  it('names every spelling of UTC "UTC"', () => {
    assert.equal(canonicalZone('Etc/UTC'), 'UTC');
    assert.equal(canonicalZone('UTC'), 'UTC');
  });
  it('refuses unknown zones and bare offsets', () => {
    assert.equal(canonicalZone('Mars/Olympus'), undefined);
    assert.equal(canonicalZone('+01:00'), undefined);
    assert.equal(canonicalZone(''), undefined);
  });
});

describe('offsets and local times', () => {
  const paris = ZoneRules.of('Europe/Paris');
  const newYork = ZoneRules.of('America/New_York');

  it('reads winter and summer offsets of Europe/Paris', () => {
    assert.equal(paris.offsetAt(Date.UTC(2026, 0, 15)), 3600_000);
    assert.equal(paris.offsetAt(Date.UTC(2026, 6, 15)), 7200_000);
  });

  it('a local time that does not exist is read with the offset before the gap (RFC 5545 3.3.5)', () => {
    // The RFC's own example: 02:30 on 11 March 2007 in New York is 03:30 EDT.
    assert.equal(iso(newYork.utcOfLocal('2007-03-11T02:30:00')), '2007-03-11T07:30:00.000Z');
  });

  it('a local time that occurs twice means the first occurrence (RFC 5545 3.3.5)', () => {
    // The RFC's own example: 01:30 on 4 November 2007 in New York is 01:30 EDT.
    assert.equal(iso(newYork.utcOfLocal('2007-11-04T01:30:00')), '2007-11-04T05:30:00.000Z');
  });

  it('local time round-trips through UTC outside transitions', () => {
    for (const local of ['2026-01-10T09:00:00', '2026-07-10T23:59:59', '2026-10-25T04:00:00']) {
      assert.equal(formatLocalDateTime(paris.wallAt(paris.utcOfLocal(local))), local);
    }
  });

  it('finds both Europe/Paris transitions of 2026 at 01:00 UTC', () => {
    const changes = paris.transitionsInYear(2026).map((t) => [iso(t.utc), t.fromOffset / 3600_000, t.toOffset / 3600_000]);
    assert.deepEqual(changes, [
      ['2026-03-29T01:00:00.000Z', 1, 2],
      ['2026-10-25T01:00:00.000Z', 2, 1],
    ]);
  });

  it('a zone with half-hour offsets and no DST has no transitions', () => {
    const kolkata = ZoneRules.of('Asia/Kolkata');
    assert.equal(kolkata.offsetAt(Date.UTC(2026, 5, 1)), 5.5 * 3600_000);
    assert.deepEqual(kolkata.transitionsInYear(2026), []);
  });
});

describe('wall-clock parsing', () => {
  it('rejects dates that do not exist instead of rolling them over', () => {
    assert.equal(parseLocalDate('2026-02-30'), undefined);
    assert.equal(parseLocalDateTime('2026-02-28T24:00:00'), undefined);
    assert.notEqual(parseLocalDate('2024-02-29'), undefined);
  });
});

describe('local time properties', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham', 'UTC'];

  it('the instant of a local reading reads back the same local time, and is the first such instant', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2060, 0, 1) }), (zone, utc) => {
        const rules = ZoneRules.of(zone);
        const wall = rules.wallAt(utc);
        const back = rules.utcOf(wall);
        assert.equal(rules.wallAt(back), wall);
        assert.ok(back <= utc, 'an ambiguous local time means its first occurrence');
      }),
      { numRuns: 500 },
    );
  });
});
