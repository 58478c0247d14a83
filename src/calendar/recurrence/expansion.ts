// RFC 5545 section 3.8.5 (RRULE, RDATE, EXDATE), 3.8.4.4 (RECURRENCE-ID) and 3.8.2.2 (DTEND): the
// recurrence set of an event, expanded by ical.js in the event's floating local time and only then turned
// into instants, so a weekly 09:00 Europe/Paris event stays at 09:00 local on both sides of a DST change.
// Every instance lasts the exact duration DTEND - DTSTART of the master (3.8.5.3), unless overridden.

import ICAL from 'ical.js';
import { isAllDay, type EventBounds, type EventData, type EventTime } from '../model/types.js';
import { recurrenceIdOf, utcOf } from '../model/event-time.js';
import { ZoneRules } from '../time/zone-rules.js';
import { DAY_MS, formatLocalDate, formatLocalDateTime, parseLocalDate, parseLocalDateTime } from '../time/wall-clock.js';
import { isEndless, recurForExpansion } from './rrule.js';

export type Timing = Pick<EventData, 'start' | 'end' | 'rrule' | 'rdates' | 'exdates' | 'overrides'>;

export interface Occurrence {
  /** Null for an event that does not recur. */
  recurrenceId: string | null;
  start: EventTime;
  end: EventTime;
  startUtc: number;
  endUtc: number;
  overridden: boolean;
}

/** Bound on the iterations of one expansion; a series longer than this is treated as endless. */
export const MAX_STEPS = 100_000;
/** All-day dates are days in some zone; offsets lie within these bounds, so widened bounds always hold. */
const WIDEST_OFFSET = 14 * 3600_000;

export function isRecurring(e: Timing): boolean {
  return e.rrule !== null || e.rdates.length > 0;
}

function icalTime(text: string, allDay: boolean): ICAL.Time {
  return allDay ? ICAL.Time.fromDateString(text) : ICAL.Time.fromDateTimeString(text);
}

function wallOfIcal(t: ICAL.Time): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The original starts (wall milliseconds) of a recurring event, in order, without duplicates. */
export function* originalStarts(e: Timing): Generator<number> {
  const allDay = isAllDay(e.start);
  const dtstart = icalTime(recurrenceIdOf(e.start), allDay);
  const component = new ICAL.Component('vevent');
  component.addPropertyWithValue('dtstart', dtstart);
  if (e.rrule !== null) component.addPropertyWithValue('rrule', recurForExpansion(e.rrule, e.start));
  for (const r of e.rdates) component.addPropertyWithValue('rdate', icalTime(r, allDay));
  for (const x of e.exdates) component.addPropertyWithValue('exdate', icalTime(x, allDay));
  const expansion = new ICAL.RecurExpansion({ component, dtstart });
  let previous = Number.NaN;
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = expansion.next();
    if (!next) return;
    const wall = wallOfIcal(next);
    // An RDATE equal to a generated instance is the same instance (RFC 5545 3.8.5.2).
    if (wall !== previous) yield wall;
    previous = wall;
  }
}

function timedAt(utc: number, zone: string): EventTime {
  return { date_time: formatLocalDateTime(ZoneRules.of(zone).wallAt(utc)), timezone: zone };
}

function addDays(date: string, days: number): string {
  return formatLocalDate(parseLocalDate(date)! + days * DAY_MS);
}

/** The end that keeps the master's duration for an instance starting at `start`. */
function endFor(e: Timing, start: EventTime, allDayZone: string): EventTime {
  if (isAllDay(e.start) && isAllDay(e.end) && isAllDay(start)) {
    const days = Math.round((parseLocalDate(e.end.date)! - parseLocalDate(e.start.date)!) / DAY_MS);
    return { date: addDays(start.date, days) };
  }
  const duration = utcOf(e.end, allDayZone) - utcOf(e.start, allDayZone);
  const zone = isAllDay(e.end) ? allDayZone : e.end.timezone;
  return timedAt(utcOf(start, allDayZone) + duration, zone);
}

/** The instance whose original start is `wall`, with its override applied. */
export function occurrenceAt(e: Timing, wall: number, allDayZone: string): Occurrence {
  const allDay = isAllDay(e.start);
  const recurrenceId = allDay ? formatLocalDate(wall) : formatLocalDateTime(wall);
  const override = e.overrides[recurrenceId];
  const originalStart: EventTime = isAllDay(e.start)
    ? { date: recurrenceId }
    : { date_time: recurrenceId, timezone: e.start.timezone };
  const start = override?.start ?? originalStart;
  const end = override?.end ?? endFor(e, start, allDayZone);
  return {
    recurrenceId,
    start,
    end,
    startUtc: utcOf(start, allDayZone),
    endUtc: utcOf(end, allDayZone),
    overridden: override !== undefined,
  };
}

function single(e: Timing, allDayZone: string): Occurrence {
  return {
    recurrenceId: null,
    start: e.start,
    end: e.end,
    startUtc: utcOf(e.start, allDayZone),
    endUtc: utcOf(e.end, allDayZone),
    overridden: false,
  };
}

function overlaps(o: Occurrence, fromUtc: number, toUtc: number): boolean {
  if (o.startUtc >= toUtc) return false;
  // A zero-length instance belongs to the range it starts in.
  return o.endUtc > fromUtc || (o.endUtc === o.startUtc && o.startUtc >= fromUtc);
}

export interface Expansion {
  occurrences: Occurrence[];
  /** More instances overlap the range than `max` allowed. */
  truncated: boolean;
}

/**
 * The instances overlapping [fromUtc, toUtc), in order of their original start. Instances whose override
 * moves them into the range are found even when their original time lies outside it.
 */
export function expandBetween(e: Timing, fromUtc: number, toUtc: number, allDayZone: string, max = 10_000): Expansion {
  if (!isRecurring(e)) {
    const only = single(e, allDayZone);
    return { occurrences: overlaps(only, fromUtc, toUtc) ? [only] : [], truncated: false };
  }
  const overrideWalls = Object.keys(e.overrides).map(
    (rid) => (isAllDay(e.start) ? parseLocalDate(rid) : parseLocalDateTime(rid)) ?? -Infinity,
  );
  const lastOverride = overrideWalls.length === 0 ? -Infinity : Math.max(...overrideWalls);
  const occurrences: Occurrence[] = [];
  for (const wall of originalStarts(e)) {
    const originalStartUtc = isAllDay(e.start)
      ? ZoneRules.of(allDayZone).utcOf(wall)
      : ZoneRules.of(e.start.timezone).utcOf(wall);
    const pastRange = originalStartUtc >= toUtc;
    if (pastRange && wall > lastOverride) break;
    const occurrence = occurrenceAt(e, wall, allDayZone);
    if (pastRange && !occurrence.overridden) continue;
    if (!overlaps(occurrence, fromUtc, toUtc)) continue;
    if (occurrences.length === max) return { occurrences, truncated: true };
    occurrences.push(occurrence);
  }
  return { occurrences, truncated: false };
}

/** Whether a recurrence id names an instance of the series (before EXDATE removes it or not). */
export function isOccurrence(e: Timing, recurrenceId: string): boolean {
  const target = isAllDay(e.start) ? parseLocalDate(recurrenceId) : parseLocalDateTime(recurrenceId);
  if (target === undefined) return false;
  const withoutExdates = { ...e, exdates: [] };
  for (const wall of originalStarts(withoutExdates)) {
    if (wall === target) return true;
    if (wall > target) return false;
  }
  return false;
}

/** The prefilter bounds of an event (see EventBounds), valid whatever the calendar's zone. */
export function eventBounds(e: Timing): EventBounds {
  const widen = isAllDay(e.start) ? WIDEST_OFFSET : 0;
  const zone = 'UTC';
  let first = utcOf(e.start, zone);
  for (const o of Object.values(e.overrides)) if (o.start) first = Math.min(first, utcOf(o.start, zone));
  if (!isRecurring(e)) return { firstStartMs: first - widen, lastEndMs: utcOf(e.end, zone) + widen };
  if (e.rrule !== null && isEndless(e.rrule)) return { firstStartMs: first - widen, lastEndMs: null };
  let last = utcOf(e.end, zone);
  let steps = 0;
  for (const wall of originalStarts(e)) {
    if (++steps >= MAX_STEPS) return { firstStartMs: first - widen, lastEndMs: null };
    const o = occurrenceAt(e, wall, zone);
    first = Math.min(first, o.startUtc);
    last = Math.max(last, o.endUtc);
  }
  return { firstStartMs: first - widen, lastEndMs: last + widen };
}
