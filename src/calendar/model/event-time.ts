// RFC 5545 section 3.3.4 (DATE), 3.3.5 (DATE-TIME with TZID or UTC) and 3.8.2.4 (DTSTART): the start and
// end of an event are either a local time in an Olson zone or an all-day date, never a bare offset.

import { ValidationError } from './errors.js';
import { isAllDay, type EventTime } from './types.js';
import { canonicalZone, ZoneRules } from '../time/zone-rules.js';
import { localDateToWall, localDateTimeToWall, parseLocalDate, parseLocalDateTime } from '../time/wall-clock.js';

/** Years outside this window are almost certainly typos, and Intl's data is only meaningful inside it. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2200;

function inYearWindow(text: string): boolean {
  const year = Number(text.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

export function checkLocalDateTime(text: unknown, field: string): string {
  if (typeof text !== 'string' || parseLocalDateTime(text) === undefined) {
    throw new ValidationError(field, 'must be a local date-time YYYY-MM-DDTHH:MM:SS');
  }
  if (!inYearWindow(text)) throw new ValidationError(field, `year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  return text;
}

export function checkLocalDate(text: unknown, field: string): string {
  if (typeof text !== 'string' || parseLocalDate(text) === undefined) {
    throw new ValidationError(field, 'must be a date YYYY-MM-DD');
  }
  if (!inYearWindow(text)) throw new ValidationError(field, `year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  return text;
}

export function checkZone(name: unknown, field: string): string {
  const zone = typeof name === 'string' ? canonicalZone(name) : undefined;
  if (zone === undefined) throw new ValidationError(field, 'must be an IANA time zone name such as Europe/Paris');
  return zone;
}

/** Reads `{date_time, timezone}` or `{date}`; a `date_time` ending in Z without a zone means UTC. */
export function parseEventTime(raw: unknown, field: string): EventTime {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(field, 'must be an object with date_time and timezone, or with date');
  }
  const value = raw as Record<string, unknown>;
  const hasDate = value.date !== undefined && value.date !== null;
  const hasDateTime = value.date_time !== undefined && value.date_time !== null;
  if (hasDate === hasDateTime) {
    throw new ValidationError(field, 'must have either date_time (with timezone) or date (all-day)');
  }
  if (hasDate) {
    if (value.timezone !== undefined && value.timezone !== null) {
      throw new ValidationError(`${field}.timezone`, 'an all-day date has no time zone');
    }
    return { date: checkLocalDate(value.date, `${field}.date`) };
  }
  let dateTime = value.date_time;
  let timezone = value.timezone;
  if (typeof dateTime === 'string' && dateTime.endsWith('Z') && (timezone === undefined || timezone === null)) {
    dateTime = dateTime.slice(0, -1);
    timezone = 'UTC';
  }
  if (timezone === undefined || timezone === null) {
    throw new ValidationError(`${field}.timezone`, 'is required with date_time');
  }
  return {
    date_time: checkLocalDateTime(dateTime, `${field}.date_time`),
    timezone: checkZone(timezone, `${field}.timezone`),
  };
}

/** The wall-clock reading of a value: the local date-time, or midnight of the date. */
export function wallOf(value: EventTime): number {
  return isAllDay(value) ? localDateToWall(value.date) : localDateTimeToWall(value.date_time);
}

/** The instant a value names; all-day dates start at midnight in `allDayZone` (the calendar's zone). */
export function utcOf(value: EventTime, allDayZone: string): number {
  if (isAllDay(value)) return ZoneRules.of(allDayZone).utcOf(localDateToWall(value.date));
  return ZoneRules.of(value.timezone).utcOf(localDateTimeToWall(value.date_time));
}

/** The recurrence id of the instance starting at `value`: its local date-time or date. */
export function recurrenceIdOf(value: EventTime): string {
  return isAllDay(value) ? value.date : value.date_time;
}

/** Checks that a recurrence id, RDATE or EXDATE has the form of the series' start. */
export function checkInstanceValue(text: unknown, start: EventTime, field: string): string {
  return isAllDay(start) ? checkLocalDate(text, field) : checkLocalDateTime(text, field);
}

export function sameEventTime(a: EventTime, b: EventTime): boolean {
  if (isAllDay(a) || isAllDay(b)) return isAllDay(a) && isAllDay(b) && a.date === b.date;
  return a.date_time === b.date_time && a.timezone === b.timezone;
}
