// RFC 5545 section 3.6.5: generated VTIMEZONEs, read back by ical.js, give the offsets of the Olson zone.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { vtimezone } from '../../src/calendar/time/vtimezone.js';
import { ZoneRules } from '../../src/calendar/time/zone-rules.js';

const HOUR = 3600_000;

/** Offsets ical.js derives from the VTIMEZONE for local times away from transitions, against Intl's. */
function mismatches(zone: string, fromYear: number, toYear: number, checkUntilYear: number): string[] {
  const tz = new ICAL.Timezone({ component: vtimezone(zone, fromYear, toYear), tzid: zone });
  const rules = ZoneRules.of(zone);
  const transitions = rules.transitionsBetween(fromYear, checkUntilYear + 1);
  const out: string[] = [];
  for (let u = Date.UTC(fromYear, 0, 1, 3); u < Date.UTC(checkUntilYear + 1, 0, 1); u += 29 * HOUR + 17 * 60_000) {
    if (transitions.some((t) => Math.abs(t.utc - u) < 4 * HOUR)) continue;
    const wall = new Date(u + rules.offsetAt(u));
    const local = ICAL.Time.fromData({
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: 0,
    });
    local.zone = tz;
    if (tz.utcOffset(local) * 1000 !== rules.offsetAt(u)) out.push(new Date(u).toISOString());
  }
  return out;
}

describe('generated VTIMEZONE', () => {
  for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Tehran', 'Pacific/Chatham']) {
    it(`${zone}: ical.js reads the same offsets as Intl over the span`, () => {
      assert.deepEqual(mismatches(zone, 2012, 2030, 2030), []);
    });
  }

  it('a zone whose DST follows a fixed yearly rule stays right after the span (RRULE tail)', () => {
    assert.deepEqual(mismatches('Europe/Paris', 2024, 2027, 2045), []);
    // Chile changes on the first Sunday on or after 2 April: a span of a decade pins that rule down.
    assert.deepEqual(mismatches('America/Santiago', 2024, 2036, 2050), []);
  });

  it('describes Europe/Paris with last-Sunday rules', () => {
    const text = vtimezone('Europe/Paris', 2025, 2027).toString();
    assert.match(text, /RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU/);
    assert.match(text, /RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU/);
    assert.match(text, /TZID:Europe\/Paris/);
  });

  it('lists the first change of an RDATE observance as an RDATE too, for readers that skip DTSTART', () => {
    const text = vtimezone('America/Sao_Paulo', 2017, 2020).toString();
    const observance = /BEGIN:STANDARD\r\nDTSTART:(\d{8}T\d{6})\r\nTZOFFSETFROM:-0200[\s\S]*?END:STANDARD/.exec(text);
    assert.ok(observance, text);
    assert.match(observance[0], new RegExp(`RDATE:${observance[1]}`));
  });
});
