// iCalendar export of one calendar (RFC 5545): VCALENDAR (3.4, 3.7), a generated VTIMEZONE for every zone
// the events use (3.6.5), one VEVENT per event with its RRULE/RDATE/EXDATE (3.8.5), and one VEVENT per
// overridden instance carrying RECURRENCE-ID (3.8.4.4) and the instance's effective fields. The calendar
// title goes in NAME (RFC 7986 5.1) and X-WR-CALNAME; colors in X-ALMANAC-COLOR, since RFC 7986 COLOR
// only takes CSS3 names.

import ICAL from 'ical.js';
import { isAllDay, type CalendarRecord, type EventRecord, type EventTime } from '../model/types.js';
import { occurrenceAt } from '../recurrence/expansion.js';
import { vtimezone } from '../time/vtimezone.js';
import { localDateToWall, localDateTimeToWall } from '../time/wall-clock.js';

export const PRODID = '-//almanac//calendar//EN';

function timeValue(value: EventTime): ICAL.Time {
  if (isAllDay(value)) return ICAL.Time.fromDateString(value.date);
  return ICAL.Time.fromDateTimeString(value.timezone === 'UTC' ? `${value.date_time}Z` : value.date_time);
}

/** A DTSTART/DTEND/RECURRENCE-ID-like property: DATE, UTC DATE-TIME, or local time with TZID. */
function timeProperty(name: string, values: EventTime[]): ICAL.Property {
  const prop = new ICAL.Property(name);
  const first = values[0]!;
  // resetType clears the values, so the type comes first.
  if (isAllDay(first)) prop.resetType('date');
  else if (first.timezone !== 'UTC') prop.setParameter('tzid', first.timezone);
  if (values.length === 1) prop.setValue(timeValue(first));
  else prop.setValues(values.map(timeValue));
  return prop;
}

function inSeriesForm(start: EventTime, text: string): EventTime {
  return isAllDay(start) ? { date: text } : { date_time: text, timezone: start.timezone };
}

function stamp(component: ICAL.Component, name: string, iso: string): void {
  component.addPropertyWithValue(name, ICAL.Time.fromDateTimeString(iso));
}

function addText(component: ICAL.Component, name: string, value: string): void {
  if (value !== '') component.addPropertyWithValue(name, value);
}

function masterComponent(e: EventRecord, dtstamp: string): ICAL.Component {
  const v = new ICAL.Component('vevent');
  v.addPropertyWithValue('uid', e.uid);
  stamp(v, 'dtstamp', dtstamp);
  stamp(v, 'created', e.created);
  stamp(v, 'last-modified', e.modified);
  v.addPropertyWithValue('sequence', e.sequence);
  v.addProperty(timeProperty('dtstart', [e.start]));
  v.addProperty(timeProperty('dtend', [e.end]));
  v.addPropertyWithValue('summary', e.title);
  addText(v, 'description', e.description);
  addText(v, 'location', e.location);
  if (e.color !== null) v.addPropertyWithValue('x-almanac-color', e.color);
  if (e.rrule !== null) v.addPropertyWithValue('rrule', ICAL.Recur.fromString(e.rrule));
  if (e.rdates.length > 0) v.addProperty(timeProperty('rdate', e.rdates.map((d) => inSeriesForm(e.start, d))));
  if (e.exdates.length > 0) v.addProperty(timeProperty('exdate', e.exdates.map((d) => inSeriesForm(e.start, d))));
  return v;
}

function overrideComponent(e: EventRecord, rid: string, calendarZone: string, dtstamp: string): ICAL.Component {
  const o = e.overrides[rid]!;
  const wall = isAllDay(e.start) ? localDateToWall(rid) : localDateTimeToWall(rid);
  const instance = occurrenceAt(e, wall, calendarZone);
  const v = new ICAL.Component('vevent');
  v.addPropertyWithValue('uid', e.uid);
  stamp(v, 'dtstamp', dtstamp);
  v.addProperty(timeProperty('recurrence-id', [inSeriesForm(e.start, rid)]));
  v.addPropertyWithValue('sequence', e.sequence);
  v.addProperty(timeProperty('dtstart', [instance.start]));
  v.addProperty(timeProperty('dtend', [instance.end]));
  v.addPropertyWithValue('summary', o.title ?? e.title);
  addText(v, 'description', o.description ?? e.description);
  addText(v, 'location', o.location ?? e.location);
  const color = o.color !== undefined ? o.color : e.color;
  if (color !== null) v.addPropertyWithValue('x-almanac-color', color);
  return v;
}

function zonesAndYears(events: EventRecord[]): { zones: Set<string>; firstYear: number; lastYear: number } {
  const zones = new Set<string>();
  let firstYear = Infinity;
  let lastYear = -Infinity;
  const see = (t: EventTime | undefined): void => {
    if (!t) return;
    const year = Number((isAllDay(t) ? t.date : t.date_time).slice(0, 4));
    firstYear = Math.min(firstYear, year);
    lastYear = Math.max(lastYear, year);
    if (!isAllDay(t) && t.timezone !== 'UTC') zones.add(t.timezone);
  };
  for (const e of events) {
    see(e.start);
    see(e.end);
    for (const o of Object.values(e.overrides)) {
      see(o.start);
      see(o.end);
    }
    for (const d of [...e.rdates, ...e.exdates]) see(inSeriesForm(e.start, d));
  }
  return { zones, firstYear, lastYear };
}

/** The whole calendar as one `text/calendar` document. */
export function exportCalendar(calendar: CalendarRecord, events: EventRecord[], now: Date): string {
  const root = new ICAL.Component('vcalendar');
  root.addPropertyWithValue('prodid', PRODID);
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('calscale', 'GREGORIAN');
  root.addPropertyWithValue('name', calendar.title);
  root.addPropertyWithValue('x-wr-calname', calendar.title);
  root.addPropertyWithValue('x-wr-timezone', calendar.timezone);
  addText(root, 'description', calendar.description);
  if (calendar.color !== null) root.addPropertyWithValue('x-almanac-color', calendar.color);

  const { zones, firstYear, lastYear } = zonesAndYears(events);
  // Exact through ten years past the later of the data and today; later years follow each zone's last rule.
  const untilYear = Math.max(lastYear, now.getUTCFullYear()) + 10;
  for (const zone of [...zones].sort()) root.addSubcomponent(vtimezone(zone, firstYear, untilYear));

  const dtstamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const e of events) {
    root.addSubcomponent(masterComponent(e, dtstamp));
    for (const rid of Object.keys(e.overrides).sort()) root.addSubcomponent(overrideComponent(e, rid, calendar.timezone, dtstamp));
  }
  return root.toString() + '\r\n';
}
