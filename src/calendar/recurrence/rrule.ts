// RFC 5545 section 3.3.10 (RECUR value) and 3.8.5.3 (RRULE): checks a rule before it is stored, and
// rewrites its UNTIL into the event's local wall clock so ical.js can expand in floating time.

import ICAL from 'ical.js';
import { ValidationError } from '../model/errors.js';
import { isAllDay, type EventTime } from '../model/types.js';
import { ZoneRules } from '../time/zone-rules.js';

const PARTS = new Set([
  'FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY',
  'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST',
]);
// SECONDLY and MINUTELY are valid iCalendar but make every expansion enormous; no calendar client
// creates them, so they are refused rather than silently capped.
const FREQUENCIES = new Set(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const UNTIL_FORM = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;
const MAX_COUNT = 100_000;

function splitRule(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    const name = eq === -1 ? piece : piece.slice(0, eq);
    if (eq === -1 || !PARTS.has(name)) throw new ValidationError('rrule', `unknown or malformed part "${piece}"`);
    if (parts.has(name)) throw new ValidationError('rrule', `${name} appears twice`);
    parts.set(name, piece.slice(eq + 1));
  }
  return parts;
}

function positiveInteger(value: string, name: string, max: number): void {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ValidationError('rrule', `${name} must be an integer from 1 to ${max}`);
  }
}

/** Validates and normalises (upper case, no "RRULE:" prefix) a rule for an event starting at `start`. */
export function checkRrule(raw: unknown, start: EventTime): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 1000) {
    throw new ValidationError('rrule', 'must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO');
  }
  const text = raw.trim().toUpperCase().replace(/^RRULE:/, '');
  const parts = splitRule(text);
  const freq = parts.get('FREQ');
  if (freq === undefined) throw new ValidationError('rrule', 'FREQ is required');
  if (!FREQUENCIES.has(freq)) throw new ValidationError('rrule', `FREQ must be one of ${[...FREQUENCIES].join(', ')}`);
  if (parts.has('COUNT') && parts.has('UNTIL')) throw new ValidationError('rrule', 'COUNT and UNTIL exclude each other');
  if (parts.has('COUNT')) positiveInteger(parts.get('COUNT')!, 'COUNT', MAX_COUNT);
  if (parts.has('INTERVAL')) positiveInteger(parts.get('INTERVAL')!, 'INTERVAL', 10_000);
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = UNTIL_FORM.exec(until);
    if (!m) throw new ValidationError('rrule', 'UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ');
    if (isAllDay(start) && m[4] !== undefined) {
      throw new ValidationError('rrule', 'UNTIL of an all-day event must be a date');
    }
  }
  try {
    ICAL.Recur.fromString(text);
  } catch (err) {
    throw new ValidationError('rrule', (err as Error).message);
  }
  return text;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The rule with UNTIL in the event's floating local time (RFC 5545 requires UNTIL in UTC when DTSTART has
 * a zone; ical.js compares it field by field with floating times, so it is converted first). A date-only
 * UNTIL on a timed event includes that whole local day, as clients that write it intend.
 */
export function recurForExpansion(rrule: string, start: EventTime): ICAL.Recur {
  const text = rrule.replace(/UNTIL=([0-9TZ]+)/, (_all, value: string) => {
    const m = UNTIL_FORM.exec(value)!;
    const [, y, mo, d, h, mi, s, z] = m;
    if (isAllDay(start)) return `UNTIL=${y}${mo}${d}`;
    if (h === undefined) return `UNTIL=${y}${mo}${d}T235959`;
    if (z !== 'Z') return `UNTIL=${y}${mo}${d}T${h}${mi}${s}`;
    const wall = new Date(ZoneRules.of(start.timezone).wallAt(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi!, +s!)));
    return (
      `UNTIL=${wall.getUTCFullYear()}${pad(wall.getUTCMonth() + 1)}${pad(wall.getUTCDate())}` +
      `T${pad(wall.getUTCHours())}${pad(wall.getUTCMinutes())}${pad(wall.getUTCSeconds())}`
    );
  });
  return ICAL.Recur.fromString(text);
}

/** A rule with neither COUNT nor UNTIL never ends. */
export function isEndless(rrule: string): boolean {
  return !/(^|;)(COUNT|UNTIL)=/.test(rrule);
}
