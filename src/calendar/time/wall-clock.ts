// RFC 5545 section 3.3.4 (DATE) and 3.3.5 (DATE-TIME "local time" form) as wall-clock milliseconds:
// a local reading written as if it were UTC, so that day and hour arithmetic needs no zone.

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const DAY_MS = 86_400_000;

function valid(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Rejects 2026-02-30 and the like, which Date would roll over.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.getTime();
}

/** Wall milliseconds of `YYYY-MM-DDTHH:MM:SS`, or undefined when it is not a real date and time. */
export function parseLocalDateTime(text: string): number | undefined {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) return undefined;
  return valid(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Wall milliseconds of midnight of `YYYY-MM-DD`, or undefined when it is not a real date. */
export function parseLocalDate(text: string): number | undefined {
  const m = LOCAL_DATE.exec(text);
  if (!m) return undefined;
  return valid(+m[1]!, +m[2]!, +m[3]!);
}

export function localDateTimeToWall(text: string): number {
  const wall = parseLocalDateTime(text);
  if (wall === undefined) throw new RangeError(`not a local date-time: ${text}`);
  return wall;
}

export function localDateToWall(text: string): number {
  const wall = parseLocalDate(text);
  if (wall === undefined) throw new RangeError(`not a date: ${text}`);
  return wall;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatLocalDateTime(wall: number): string {
  const d = new Date(wall);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

export function formatLocalDate(wall: number): string {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO 8601 UTC with seconds precision, the form every timestamp in the API uses. */
export function formatUtc(utc: number): string {
  return new Date(utc).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
