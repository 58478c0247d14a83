// RFC 5545 section 3.6.5 (VTIMEZONE): the definition of an Olson zone over a span of years, generated from
// ZoneRules (Intl) because ical.js ships no zone data. Each offset change becomes an observance; the
// changes that follow one yearly pattern up to the end of the span become a single RRULE observance, so the
// zone stays right after the span ends, and the rest are listed as RDATEs.

import ICAL from 'ical.js';
import { ZoneRules, type Transition } from './zone-rules.js';
import { formatLocalDateTime } from './wall-clock.js';

type Kind = 'standard' | 'daylight';

interface Change extends Transition {
  kind: Kind;
  /** Local time of the change, read with the offset before it (3.6.5: DTSTART in TZOFFSETFROM). */
  wall: number;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY = 86_400_000;

function icalTime(wall: number): ICAL.Time {
  return ICAL.Time.fromDateTimeString(formatLocalDateTime(wall));
}

function observance(kind: Kind, first: number, from: number, to: number): ICAL.Component {
  const c = new ICAL.Component(kind);
  c.addPropertyWithValue('dtstart', icalTime(first));
  c.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(Math.round(from / 1000)));
  c.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(Math.round(to / 1000)));
  return c;
}

function dayOf(wall: number): { year: number; month: number; day: number; weekday: number; time: number; last: boolean } {
  const d = new Date(wall);
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    time: wall % DAY,
    last: d.getUTCDate() + 7 > daysInMonth,
  };
}

/**
 * The longest run at the end of `changes` (all of one kind, in order) that one yearly RRULE describes: one
 * change a year in consecutive years, with the same offsets, month, weekday and time of day, on days that
 * fit the zic form "weekday on or after day D" (which covers "nth weekday" and "last weekday"). Returns
 * where the run starts and the rule's BYxxx parts.
 */
function yearlyTail(changes: Change[], lastYear: number): { from: number; rule: string } | undefined {
  const n = changes.length;
  if (n < 2) return undefined;
  const last = changes[n - 1]!;
  const ref = dayOf(last.wall);
  if (ref.year !== lastYear) return undefined;
  let minDay = ref.day;
  let maxDay = ref.day;
  let allLast = ref.last;
  let i = n - 1;
  while (i > 0) {
    const prev = changes[i - 1]!;
    const p = dayOf(prev.wall);
    const fits =
      p.year === dayOf(changes[i]!.wall).year - 1 &&
      prev.fromOffset === last.fromOffset &&
      prev.toOffset === last.toOffset &&
      p.month === ref.month &&
      p.weekday === ref.weekday &&
      p.time === ref.time &&
      Math.max(maxDay, p.day) - Math.min(minDay, p.day) <= 6;
    if (!fits) break;
    minDay = Math.min(minDay, p.day);
    maxDay = Math.max(maxDay, p.day);
    allLast &&= p.last;
    i--;
  }
  if (n - i < 2) return undefined;
  const weekday = WEEKDAYS[ref.weekday]!;
  const month = `FREQ=YEARLY;BYMONTH=${ref.month}`;
  if (allLast) return { from: i, rule: `${month};BYDAY=-1${weekday}` };
  // Any first day D with D <= minDay and D + 6 >= maxDay fits the run; prefer the "nth weekday" days.
  for (const d of [1, 8, 15, 22]) if (d <= minDay && d + 6 >= maxDay) return { from: i, rule: `${month};BYDAY=${(d + 6) / 7}${weekday}` };
  const first = maxDay - 6;
  const days = Array.from({ length: 7 }, (_, k) => first + k).join(',');
  return { from: i, rule: `${month};BYDAY=${weekday};BYMONTHDAY=${days}` };
}

/** A VTIMEZONE for `zone` correct from the start of `fromYear` on (exact through `toYear`, extrapolated after). */
export function vtimezone(zone: string, fromYear: number, toYear: number): ICAL.Component {
  const rules = ZoneRules.of(zone);
  const component = new ICAL.Component('vtimezone');
  component.addPropertyWithValue('tzid', zone);
  const start = Date.UTC(fromYear, 0, 1);
  const initial = rules.offsetAt(start);
  // The offset in force when the span opens, starting a day early so that it covers the first hours.
  const opening = initial > rules.standardOffset(fromYear) ? 'daylight' : 'standard';
  component.addSubcomponent(observance(opening, start - DAY, initial, initial));

  const changes: Change[] = rules.transitionsBetween(fromYear, toYear).map((t) => ({
    ...t,
    kind: t.toOffset > rules.standardOffset(new Date(t.utc).getUTCFullYear()) ? 'daylight' : 'standard',
    wall: t.utc + t.fromOffset,
  }));
  for (const kind of ['standard', 'daylight'] as const) {
    const ofKind = changes.filter((c) => c.kind === kind);
    const tail = yearlyTail(ofKind, toYear);
    const listed = tail ? ofKind.slice(0, tail.from) : ofKind;
    // Changes with the same offsets share one observance: DTSTART is the first and every change is an RDATE,
    // the first included, since some readers (ical.js among them) ignore DTSTART once RDATEs are present.
    const groups = new Map<string, Change[]>();
    for (const c of listed) {
      const key = `${c.fromOffset}/${c.toOffset}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const group of groups.values()) {
      const obs = observance(kind, group[0]!.wall, group[0]!.fromOffset, group[0]!.toOffset);
      for (const c of group) obs.addPropertyWithValue('rdate', icalTime(c.wall));
      component.addSubcomponent(obs);
    }
    if (tail) {
      const first = ofKind[tail.from]!;
      const obs = observance(kind, first.wall, first.fromOffset, first.toOffset);
      obs.addPropertyWithValue('rrule', ICAL.Recur.fromString(tail.rule));
      component.addSubcomponent(obs);
    }
  }
  return component;
}
