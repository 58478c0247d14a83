// Validation of event bodies: RFC 5545 VEVENT rules that the API enforces (3.6.1: DTEND after DTSTART and
// of the same value type; 3.8.5: RRULE, RDATE, EXDATE in the value type of DTSTART; 3.8.4.4: an overridden
// instance must be an instance of the series). Checks run on the merged result, so a PATCH is held to the
// same rules as a create.

import { randomUUID } from 'node:crypto';
import { ValidationError } from './errors.js';
import { checkColor, checkText } from './calendar-input.js';
import { checkInstanceValue, parseEventTime, sameEventTime, utcOf } from './event-time.js';
import { isAllDay, type EventData, type EventRecord, type EventTime, type OverrideFields } from './types.js';
import { checkRrule } from '../recurrence/rrule.js';
import { isOccurrence, isRecurring } from '../recurrence/expansion.js';
import { DAY_MS, formatLocalDate, parseLocalDate } from '../time/wall-clock.js';
import { ZoneRules } from '../time/zone-rules.js';

type Body = Record<string, unknown>;

const MAX_DATES = 1000;
const MAX_OVERRIDES = 1000;
const UID_PATTERN = /^[\x21-\x7e]{1,255}$/;

function checkUid(value: unknown): string {
  if (typeof value !== 'string' || !UID_PATTERN.test(value)) {
    throw new ValidationError('uid', 'must be 1 to 255 printable ASCII characters without spaces');
  }
  return value;
}

/** An end one hour (timed) or one day (all-day) after `start`, the defaults when none is given. */
export function defaultEnd(start: EventTime): EventTime {
  if (isAllDay(start)) return { date: formatLocalDate(parseLocalDate(start.date)! + DAY_MS) };
  const zone = ZoneRules.of(start.timezone);
  const wall = zone.wallAt(utcOf(start, 'UTC') + 3600_000);
  return { date_time: new Date(wall).toISOString().slice(0, 19), timezone: start.timezone };
}

function checkEnd(start: EventTime, end: EventTime, field: string): void {
  if (isAllDay(start) !== isAllDay(end)) {
    throw new ValidationError(field, 'must be all-day exactly when start is');
  }
  const startUtc = utcOf(start, 'UTC');
  const endUtc = utcOf(end, 'UTC');
  if (isAllDay(start) ? endUtc <= startUtc : endUtc < startUtc) {
    throw new ValidationError(field, isAllDay(start) ? 'must be a later date than start' : 'must not be before start');
  }
}

function checkDateList(raw: unknown, start: EventTime, field: string): string[] {
  if (!Array.isArray(raw)) throw new ValidationError(field, 'must be an array');
  if (raw.length > MAX_DATES) throw new ValidationError(field, `must have at most ${MAX_DATES} entries`);
  const values = raw.map((v, i) => checkInstanceValue(v, start, `${field}.${i}`));
  return [...new Set(values)].sort();
}

function checkOverride(raw: unknown, master: EventTime, field: string): OverrideFields {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError(field, 'must be an object');
  const body = raw as Body;
  const out: OverrideFields = {};
  if (body.title !== undefined) out.title = checkText(body.title, `${field}.title`, 500, true);
  if (body.description !== undefined) out.description = checkText(body.description, `${field}.description`, 10_000);
  if (body.location !== undefined) out.location = checkText(body.location, `${field}.location`, 1000);
  if (body.color !== undefined) out.color = checkColor(body.color, `${field}.color`);
  if (body.start !== undefined) {
    out.start = parseEventTime(body.start, `${field}.start`);
    if (isAllDay(out.start) !== isAllDay(master)) throw new ValidationError(`${field}.start`, 'must be all-day exactly when the series is');
  }
  if (body.end !== undefined) out.end = parseEventTime(body.end, `${field}.end`);
  return out;
}

function checkOverrides(raw: unknown, event: Omit<EventData, 'overrides'>): Record<string, OverrideFields> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError('overrides', 'must be an object');
  const entries = Object.entries(raw as Body);
  if (entries.length === 0) return {};
  if (!isRecurring({ ...event, overrides: {} })) throw new ValidationError('overrides', 'only a recurring event has instances to override');
  if (entries.length > MAX_OVERRIDES) throw new ValidationError('overrides', `must have at most ${MAX_OVERRIDES} entries`);
  const out: Record<string, OverrideFields> = {};
  for (const [rid, value] of entries.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const field = `overrides.${rid}`;
    checkInstanceValue(rid, event.start, field);
    if (!isOccurrence({ ...event, overrides: {} }, rid)) throw new ValidationError(field, 'is not an instance of the series');
    const override = checkOverride(value, event.start, field);
    const originalStart: EventTime = isAllDay(event.start) ? { date: rid } : { date_time: rid, timezone: event.start.timezone };
    if (override.end) checkEnd(override.start ?? originalStart, override.end, `${field}.end`);
    out[rid] = override;
  }
  return out;
}

/** The overrides that still name instances after the series changed (the rest are dropped). */
function surviving(event: Omit<EventData, 'overrides'>, overrides: Record<string, OverrideFields>): Record<string, OverrideFields> {
  const out: Record<string, OverrideFields> = {};
  if (!isRecurring({ ...event, overrides: {} })) return out;
  for (const [rid, o] of Object.entries(overrides)) if (isOccurrence({ ...event, overrides: {} }, rid)) out[rid] = o;
  return out;
}

export function parseEventCreate(body: Body): { calendarId: string; data: EventData } {
  if (typeof body.calendar_id !== 'string' || body.calendar_id === '') throw new ValidationError('calendar_id', 'is required');
  if (body.title === undefined) throw new ValidationError('title', 'is required');
  if (body.start === undefined) throw new ValidationError('start', 'is required');
  const start = parseEventTime(body.start, 'start');
  const end = body.end === undefined || body.end === null ? defaultEnd(start) : parseEventTime(body.end, 'end');
  checkEnd(start, end, 'end');
  const series = {
    uid: body.uid === undefined ? randomUUID() : checkUid(body.uid),
    title: checkText(body.title, 'title', 500, true),
    description: body.description === undefined ? '' : checkText(body.description, 'description', 10_000),
    location: body.location === undefined ? '' : checkText(body.location, 'location', 1000),
    color: body.color === undefined ? null : checkColor(body.color, 'color'),
    start,
    end,
    rrule: body.rrule === undefined || body.rrule === null ? null : checkRrule(body.rrule, start),
    rdates: body.rdates === undefined ? [] : checkDateList(body.rdates, start, 'rdates'),
    exdates: body.exdates === undefined ? [] : checkDateList(body.exdates, start, 'exdates'),
  };
  return { calendarId: body.calendar_id, data: { ...series, overrides: body.overrides === undefined ? {} : checkOverrides(body.overrides, series) } };
}

/** Applies a PATCH body; omitted fields keep their value, and moving the start keeps the duration. */
export function applyEventPatch(current: EventRecord, body: Body): EventData {
  if (body.calendar_id !== undefined && body.calendar_id !== current.calendarId) {
    throw new ValidationError('calendar_id', 'an event cannot move to another calendar');
  }
  if (body.uid !== undefined && body.uid !== current.uid) throw new ValidationError('uid', 'cannot be changed');
  const start = body.start === undefined ? current.start : parseEventTime(body.start, 'start');
  const kindChanged = isAllDay(start) !== isAllDay(current.start);
  let end: EventTime;
  if (body.end !== undefined && body.end !== null) end = parseEventTime(body.end, 'end');
  else if (kindChanged || body.end === null) end = defaultEnd(start);
  else if (body.start === undefined) end = current.end;
  else end = shifted(current, start);
  checkEnd(start, end, 'end');
  const rruleRaw = body.rrule === undefined ? current.rrule : body.rrule;
  const series = {
    uid: current.uid,
    title: body.title === undefined ? current.title : checkText(body.title, 'title', 500, true),
    description: body.description === undefined ? current.description : checkText(body.description, 'description', 10_000),
    location: body.location === undefined ? current.location : checkText(body.location, 'location', 1000),
    color: body.color === undefined ? current.color : checkColor(body.color, 'color'),
    start,
    end,
    rrule: rruleRaw === null ? null : checkRrule(rruleRaw, start),
    rdates: body.rdates !== undefined ? checkDateList(body.rdates, start, 'rdates') : kindChanged ? [] : current.rdates,
    exdates: body.exdates !== undefined ? checkDateList(body.exdates, start, 'exdates') : kindChanged ? [] : current.exdates,
  };
  if (body.overrides !== undefined) return { ...series, overrides: checkOverrides(body.overrides, series) };
  if (kindChanged) return { ...series, overrides: {} };
  const seriesChanged =
    !sameEventTime(start, current.start) ||
    series.rrule !== current.rrule ||
    series.rdates.join() !== current.rdates.join();
  return { ...series, overrides: seriesChanged ? surviving(series, current.overrides) : current.overrides };
}

/** The end that keeps `current`'s duration for the new start. */
function shifted(current: EventRecord, start: EventTime): EventTime {
  if (isAllDay(start) && isAllDay(current.start) && isAllDay(current.end)) {
    const days = (parseLocalDate(current.end.date)! - parseLocalDate(current.start.date)!) / DAY_MS;
    return { date: formatLocalDate(parseLocalDate(start.date)! + days * DAY_MS) };
  }
  if (isAllDay(start) || isAllDay(current.end)) return defaultEnd(start);
  const duration = utcOf(current.end, 'UTC') - utcOf(current.start, 'UTC');
  const zone = current.end.timezone;
  const wall = ZoneRules.of(zone).wallAt(utcOf(start, 'UTC') + duration);
  return { date_time: new Date(wall).toISOString().slice(0, 19), timezone: zone };
}
