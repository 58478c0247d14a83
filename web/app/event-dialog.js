// The event form (create, edit, delete) in a <dialog>. Times are entered in the browser's zone. A
// recurring event is edited as a series: a new time moves every occurrence by the same amount (the
// series keeps its own zone), and one occurrence can be removed alone through EXDATE (RFC 5545 3.8.5.1).

import { addDays, instanceSpan, isoDate, isoTime, localZone, parseLocal, DAY_MS } from './dates.js';

export const REPEATS = [
  ['', 'Does not repeat'],
  ['FREQ=DAILY', 'Every day'],
  ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
  ['FREQ=WEEKLY', 'Every week'],
  ['FREQ=MONTHLY', 'Every month'],
  ['FREQ=YEARLY', 'Every year'],
];

const pad = (n) => String(n).padStart(2, '0');

/** Wall-clock arithmetic on RFC 5545 local values: `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD`, plus ms. */
function shiftLocal(value, ms) {
  const wall = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`) + ms;
  const d = new Date(wall);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return value.length === 10 ? date : `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function shiftTime(time, ms) {
  // Local midnights are 23 or 25 hours apart across a DST change: all-day moves count whole days.
  if ('date' in time) return { date: shiftLocal(time.date, Math.round(ms / DAY_MS) * DAY_MS) };
  return { date_time: shiftLocal(time.date_time, ms), timezone: time.timezone };
}

export class EventDialog {
  /** @param dialog the <dialog id="event-dialog"> of index.html */
  constructor(dialog) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.field = (name) => this.form.elements.namedItem(name);
    const repeat = this.field('repeat');
    for (const [value, label] of REPEATS) repeat.append(new Option(label, value));
    this.field('all-day').addEventListener('change', () => this.syncAllDay());
    // Moving the start keeps the duration, as calendar users expect.
    for (const name of ['start-date', 'start-time']) this.field(name).addEventListener('change', () => this.keepDuration());
    dialog.querySelector('[data-action=cancel]').addEventListener('click', () => dialog.close());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run(() => this.actions.save(this.payload()));
    });
    dialog.querySelector('[data-action=delete]').addEventListener('click', () => this.run(() => this.actions.remove()));
    dialog.querySelector('[data-action=delete-one]').addEventListener('click', () => this.run(() => this.actions.removeOccurrence()));
  }

  keepDuration() {
    const allDay = this.field('all-day').checked;
    const start = parseLocal(this.field('start-date').value || this.lastStart.date, allDay ? '00:00' : this.field('start-time').value || this.lastStart.time);
    const before = parseLocal(this.lastStart.date, allDay ? '00:00' : this.lastStart.time);
    const end = parseLocal(this.field('end-date').value || this.lastStart.date, this.field('end-time').value || '00:00');
    if (Number.isNaN(start.getTime()) || Number.isNaN(before.getTime()) || Number.isNaN(end.getTime())) return;
    const moved = new Date(end.getTime() + (start.getTime() - before.getTime()));
    this.field('end-date').value = isoDate(moved);
    if (!allDay) this.field('end-time').value = isoTime(moved);
    this.lastStart = { date: isoDate(start), time: isoTime(start) };
  }

  syncAllDay() {
    this.form.classList.toggle('all-day', this.field('all-day').checked);
  }

  async run(action) {
    const error = this.dialog.querySelector('.form-error');
    error.textContent = '';
    try {
      await action();
      this.dialog.close();
    } catch (err) {
      error.textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    }
  }

  /**
   * Opens the form. For a new event: `{ calendars, start, allDay }`; for an existing one: also `event`
   * (the series, EventJson) and `instance` (the occurrence clicked, InstanceJson).
   * `actions`: save(patchOrCreate), remove(), removeOccurrence().
   */
  open({ calendars, event = null, instance = null, start, allDay = false, actions }) {
    this.actions = actions;
    this.event = event;
    this.instance = instance;
    const writable = !event || event.permission !== 'read';
    this.dialog.querySelector('h2').textContent = event ? (writable ? 'Edit event' : 'Event') : 'New event';
    this.dialog.querySelector('.form-error').textContent = '';

    const select = this.field('calendar');
    select.replaceChildren(...calendars.map((c) => new Option(c.title, c.id)));
    select.disabled = event !== null;

    const span = instance ? instanceSpan(instance) : { start, end: allDay ? addDays(start, 1) : new Date(start.getTime() + 3_600_000), allDay };
    this.initial = {
      allDay: span.allDay,
      startDate: isoDate(span.start),
      startTime: isoTime(span.start),
      endDate: isoDate(span.allDay ? addDays(span.end, -1) : span.end),
      endTime: isoTime(span.end),
    };
    this.field('title').value = event?.title ?? '';
    if (event) select.value = event.calendar_id;
    this.field('all-day').checked = this.initial.allDay;
    this.field('start-date').value = this.initial.startDate;
    this.field('start-time').value = this.initial.startTime;
    this.field('end-date').value = this.initial.endDate;
    this.field('end-time').value = this.initial.endTime;
    this.lastStart = { date: this.initial.startDate, time: this.initial.startTime };
    const repeat = this.field('repeat');
    const rrule = event?.rrule ?? '';
    if (![...repeat.options].some((o) => o.value === rrule)) repeat.append(new Option(`Custom: ${rrule}`, rrule));
    repeat.value = rrule;
    this.field('location').value = event?.location ?? '';
    this.field('description').value = event?.description ?? '';
    this.syncAllDay();

    for (const input of this.form.querySelectorAll('input, select, textarea')) {
      if (input.name !== 'calendar') input.disabled = !writable;
    }
    const recurring = event !== null && (event.rrule !== null || event.rdates.length > 0);
    this.dialog.querySelector('[data-action=save]').hidden = !writable;
    this.dialog.querySelector('[data-action=delete]').hidden = !event || !writable;
    this.dialog.querySelector('[data-action=delete]').textContent = recurring ? 'Delete all' : 'Delete';
    this.dialog.querySelector('[data-action=delete-one]').hidden = !recurring || !writable || !instance?.recurrence_id;
    this.dialog.querySelector('.series-note').hidden = !recurring;
    this.dialog.showModal();
    this.field('title').focus();
  }

  /** The local start and end entered, as Dates (end exclusive for all-day). */
  entered() {
    const allDay = this.field('all-day').checked;
    const start = parseLocal(this.field('start-date').value, allDay ? '00:00' : this.field('start-time').value);
    const endDay = this.field('end-date').value || this.field('start-date').value;
    const end = allDay ? addDays(parseLocal(endDay), 1) : parseLocal(endDay, this.field('end-time').value);
    return { allDay, start, end };
  }

  timesChanged() {
    const i = this.initial;
    const f = (n) => this.field(n).value;
    return this.field('all-day').checked !== i.allDay || f('start-date') !== i.startDate || f('end-date') !== i.endDate || (!i.allDay && (f('start-time') !== i.startTime || f('end-time') !== i.endTime));
  }

  /** The body of POST /events, or the fields of a PATCH that changed. */
  payload() {
    const title = this.field('title').value.trim();
    if (title === '') throw Object.assign(new Error('a title is needed'), { field: 'title' });
    const body = {
      title,
      location: this.field('location').value,
      description: this.field('description').value,
      rrule: this.field('repeat').value || null,
    };
    const changed = this.timesChanged();
    if (!this.event || changed) {
      const { allDay, start, end } = this.entered();
      if (end <= start) throw Object.assign(new Error('the end must be after the start'), { field: 'end' });
      const series = this.event && this.instance && this.event.rrule !== null && allDay === this.initial.allDay;
      if (series) {
        // Move the whole series by what this occurrence moved, in the series' own zone.
        const was = instanceSpan(this.instance);
        body.start = shiftTime(this.event.start, start.getTime() - was.start.getTime());
        body.end = shiftTime(this.event.end, end.getTime() - was.end.getTime());
      } else if (allDay) {
        body.start = { date: isoDate(start) };
        body.end = { date: isoDate(end) };
      } else {
        const zone = localZone();
        body.start = { date_time: `${isoDate(start)}T${isoTime(start)}:00`, timezone: zone };
        body.end = { date_time: `${isoDate(end)}T${isoTime(end)}:00`, timezone: zone };
      }
    }
    if (!this.event) body.calendar_id = this.field('calendar').value;
    return body;
  }
}
