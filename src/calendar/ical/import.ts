// iCalendar import (RFC 5545) into one calendar: every VEVENT (3.6.1) grouped by UID, the one without
// RECURRENCE-ID as the series and the others as overridden instances (3.8.4.4), or as EXDATEs when they
// are STATUS:CANCELLED. TZIDs that name Olson zones (also in the "/vendor/.../Europe/Paris" form) are kept;
// other TZIDs are resolved through the file's own VTIMEZONE (3.6.5) to UTC; floating times (3.3.5 form 1)
// are read in the calendar's zone. Every event then passes the same validation as a REST create.

import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { ValidationError } from '../model/errors.js';
import { parseEventCreate } from '../model/event-input.js';
import { canonicalZone, ZoneRules } from '../time/zone-rules.js';
import { DAY_MS, formatLocalDate, formatLocalDateTime, parseLocalDate, parseLocalDateTime } from '../time/wall-clock.js';
import { sameEventTime } from '../model/event-time.js';
import { occurrenceAt, type Timing } from '../recurrence/expansion.js';
import { isAllDay, type EventData, type EventTime } from '../model/types.js';

export const MAX_IMPORT_EVENTS = 10_000;

export interface SkippedEvent {
  uid: string | null;
  field: string;
  reason: string;
}

export interface ParsedImport {
  events: EventData[];
  skipped: SkippedEvent[];
}

function wallOfTime(t: ICAL.Time): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** Olson name of a TZID: itself, or its last two path segments ("/mozilla.org/20050126_1/Europe/Paris"). */
function olsonOf(tzid: string): string | undefined {
  const direct = canonicalZone(tzid);
  if (direct) return direct;
  const parts = tzid.split('/').filter(Boolean);
  for (const n of [3, 2]) if (parts.length > n) {
    const zone = canonicalZone(parts.slice(-n).join('/'));
    if (zone) return zone;
  }
  return undefined;
}

/** The value of a DATE or DATE-TIME property as an EventTime. */
function eventTimeOf(prop: ICAL.Property, value: ICAL.Time | undefined, calendarZone: string): EventTime {
  const t = value ?? (prop.getFirstValue() as ICAL.Time);
  if (t.isDate) return { date: formatLocalDate(wallOfTime(t)) };
  if (t.zone === ICAL.Timezone.utcTimezone) return { date_time: formatLocalDateTime(wallOfTime(t)), timezone: 'UTC' };
  const tzid = prop.getParameter('tzid') as string | undefined;
  if (tzid === undefined) return { date_time: formatLocalDateTime(wallOfTime(t)), timezone: calendarZone };
  const zone = olsonOf(tzid);
  if (zone) return { date_time: formatLocalDateTime(wallOfTime(t)), timezone: zone };
  if (t.zone && t.zone.tzid === tzid) {
    return { date_time: formatLocalDateTime(wallOfTime(t.convertToZone(ICAL.Timezone.utcTimezone))), timezone: 'UTC' };
  }
  throw new ValidationError(prop.name, `unknown time zone "${tzid}" and no VTIMEZONE for it`);
}

/** `value` re-read in the series' form: a date, or a local time in the series' start zone. */
function inSeriesForm(value: EventTime, start: EventTime): string {
  if (isAllDay(start)) return isAllDay(value) ? value.date : value.date_time.slice(0, 10);
  if (isAllDay(value)) return `${value.date}T${start.date_time.slice(11)}`;
  if (value.timezone === start.timezone) return value.date_time;
  const utc = ZoneRules.of(value.timezone).utcOfLocal(value.date_time);
  return formatLocalDateTime(ZoneRules.of(start.timezone).wallAt(utc));
}

function timesOf(component: ICAL.Component, name: string, start: EventTime, calendarZone: string): string[] {
  const out: string[] = [];
  for (const prop of component.getAllProperties(name)) {
    for (const raw of prop.getValues() as Array<ICAL.Time | ICAL.Period>) {
      const t = raw instanceof ICAL.Period ? raw.start : raw;
      out.push(inSeriesForm(eventTimeOf(prop, t, calendarZone), start));
    }
  }
  return out;
}

function text(component: ICAL.Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : undefined;
}

/** DTEND, else DTSTART + DURATION, else the RFC 5545 3.6.1 default (one day, or zero length). */
function endOf(v: ICAL.Component, start: EventTime, calendarZone: string): EventTime {
  const dtend = v.getFirstProperty('dtend');
  if (dtend) return eventTimeOf(dtend, undefined, calendarZone);
  const duration = v.getFirstPropertyValue('duration') as ICAL.Duration | null;
  if (isAllDay(start)) {
    const days = duration ? Math.max(1, Math.round(duration.toSeconds() / 86400)) : 1;
    return { date: formatLocalDate(parseLocalDate(start.date)! + days * DAY_MS) };
  }
  if (!duration) return start;
  const zone = ZoneRules.of(start.timezone);
  return { date_time: formatLocalDateTime(zone.wallAt(zone.utcOfLocal(start.date_time) + duration.toSeconds() * 1000)), timezone: start.timezone };
}

function seriesBody(master: ICAL.Component, instances: ICAL.Component[], calendarZone: string): Record<string, unknown> {
  const dtstart = master.getFirstProperty('dtstart');
  if (!dtstart) throw new ValidationError('start', 'the VEVENT has no DTSTART');
  const start = eventTimeOf(dtstart, undefined, calendarZone);
  const rrule = master.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  const exdates = timesOf(master, 'exdate', start, calendarZone);
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const instance of instances) {
    const rid = inSeriesForm(eventTimeOf(instance.getFirstProperty('recurrence-id')!, undefined, calendarZone), start);
    if (text(instance, 'status')?.toUpperCase() === 'CANCELLED') {
      exdates.push(rid);
      continue;
    }
    const o: Record<string, unknown> = {};
    const instanceStart = instance.getFirstProperty('dtstart');
    if (instanceStart) {
      o.start = eventTimeOf(instanceStart, undefined, calendarZone);
      o.end = endOf(instance, o.start as EventTime, calendarZone);
    }
    for (const [field, prop] of [['title', 'summary'], ['description', 'description'], ['location', 'location']] as const) {
      const value = text(instance, prop);
      if (value !== undefined && value !== (text(master, prop) ?? '')) o[field] = value;
    }
    overrides[rid] = o;
  }
  const end = endOf(master, start, calendarZone);
  const rdates = timesOf(master, 'rdate', start, calendarZone);
  dropUnchangedTimes(overrides, { start, end, rrule: rrule ? rrule.toString() : null, rdates, exdates, overrides: {} }, calendarZone);
  const body: Record<string, unknown> = {
    calendar_id: '-',
    uid: text(master, 'uid'),
    title: text(master, 'summary') || '(untitled)',
    description: text(master, 'description') ?? '',
    location: text(master, 'location') ?? '',
    start,
    end,
    rdates,
    exdates,
    overrides,
  };
  if (rrule) body.rrule = rrule.toString();
  const color = text(master, 'x-almanac-color');
  if (color !== undefined) body.color = color;
  return body;
}

/**
 * An exported override repeats DTSTART and DTEND even when only its title changed; keep them only when
 * they differ from what the series gives that instance, so a round trip returns the same overrides.
 */
function dropUnchangedTimes(overrides: Record<string, Record<string, unknown>>, series: Timing, calendarZone: string): void {
  for (const [rid, o] of Object.entries(overrides)) {
    const wall = isAllDay(series.start) ? parseLocalDate(rid) : parseLocalDateTime(rid);
    if (wall === undefined || !o.start) continue;
    const original = occurrenceAt(series, wall, calendarZone);
    if (sameEventTime(o.start as EventTime, original.start)) delete o.start;
    const expected = occurrenceAt({ ...series, overrides: o.start ? { [rid]: { start: o.start as EventTime } } : {} }, wall, calendarZone);
    if (sameEventTime(o.end as EventTime, expected.end)) delete o.end;
  }
}

/**
 * Reads a text/calendar document. A document that is not iCalendar is a ValidationError on `body`; an
 * event that breaks a rule is skipped and reported, and so is an override that is not an instance.
 */
export function parseICalendar(source: string, calendarZone: string): ParsedImport {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(source) as unknown[]);
  } catch (err) {
    throw new ValidationError('body', `not an iCalendar document: ${(err as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new ValidationError('body', 'the document is not a VCALENDAR');
  const byUid = new Map<string, { master?: ICAL.Component; instances: ICAL.Component[] }>();
  for (const v of root.getAllSubcomponents('vevent')) {
    const uid = text(v, 'uid') ?? randomUUID();
    if (!v.getFirstPropertyValue('uid')) v.addPropertyWithValue('uid', uid);
    const group = byUid.get(uid) ?? { instances: [] };
    if (v.hasProperty('recurrence-id')) group.instances.push(v);
    else group.master = v;
    byUid.set(uid, group);
  }
  if (byUid.size > MAX_IMPORT_EVENTS) throw new ValidationError('body', `more than ${MAX_IMPORT_EVENTS} events`);
  const events: EventData[] = [];
  const skipped: SkippedEvent[] = [];
  for (const [uid, group] of byUid) {
    if (!group.master) {
      skipped.push({ uid, field: 'recurrence-id', reason: 'instances without their series' });
      continue;
    }
    try {
      const body = seriesBody(group.master, group.instances, calendarZone);
      events.push(createDroppingBadOverrides(body, uid, skipped));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      skipped.push({ uid, field: err.field, reason: err.message });
    }
  }
  return { events, skipped };
}

/** Validates like a REST create; an override that fails is dropped (and reported) rather than the event. */
function createDroppingBadOverrides(body: Record<string, unknown>, uid: string, skipped: SkippedEvent[]): EventData {
  const overrides = body.overrides as Record<string, unknown>;
  for (;;) {
    try {
      return parseEventCreate(body).data;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const match = /^overrides\.([^.]+)/.exec(err.field);
      if (!match || !(match[1]! in overrides)) throw err;
      skipped.push({ uid, field: err.field, reason: err.message });
      delete overrides[match[1]!];
    }
  }
}
