// Week arithmetic and formatting in the browser's own time zone. Weeks start on Monday (ISO 8601).
// Event times travel as RFC 5545 local times with an IANA zone ({date_time, timezone}) or all-day dates
// ({date}); instances also carry start_utc/end_utc, which is what the week view places.

export const DAY_MS = 86_400_000;

export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Midnight (local) of the Monday of the week containing `date`. */
export function weekStart(date) {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

/** `date` moved by `days` calendar days, at the same local time (DST-safe). */
export function addDays(date, days) {
  const d = new Date(date);
  d.setDate(d.getDate() + days);
  return d;
}

const pad = (n) => String(n).padStart(2, '0');

/** YYYY-MM-DD of a local date. */
export function isoDate(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** HH:MM of a local time. */
export function isoTime(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The local Date of a YYYY-MM-DD (midnight) or of YYYY-MM-DD and HH:MM. */
export function parseLocal(day, time = '00:00') {
  const [y, m, d] = day.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return new Date(y, m - 1, d, h, min);
}

export function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function weekLabel(start) {
  const end = addDays(start, 6);
  const month = new Intl.DateTimeFormat(undefined, { month: 'long' });
  const year = start.getFullYear() === end.getFullYear() ? '' : ` ${start.getFullYear()}`;
  if (start.getMonth() === end.getMonth()) return `${month.format(start)} ${start.getDate()}–${end.getDate()}, ${end.getFullYear()}`;
  const short = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  return `${short.format(start)}${year} – ${short.format(end)}, ${end.getFullYear()}`;
}

export const dayHeading = (date) => new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(date);

export const hourLabel = (hour) => new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).format(new Date(2000, 0, 1, hour));

export const timeLabel = (date) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(date);

/** The local Date at which an instance starts and ends; all-day dates are local midnights. */
export function instanceSpan(instance) {
  if ('date' in instance.start) return { start: parseLocal(instance.start.date), end: parseLocal(instance.end.date), allDay: true };
  return { start: new Date(instance.start_utc), end: new Date(instance.end_utc), allDay: false };
}
