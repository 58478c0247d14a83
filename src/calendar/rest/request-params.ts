// Reading the parts of a request the JSON schemas cannot check alone: If-Match (RFC 9110 section 13.1.1),
// id lists given comma-separated or repeated, and the instants bounding a time range.

import { ValidationError } from '../model/errors.js';

/** The etags of an If-Match header (`*` included as is), or undefined without one. */
export function ifMatchEtags(header: string | string[] | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  const etags = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return etags.length === 0 ? undefined : etags;
}

/** `a,b&x=c` style lists: each value may itself be comma-separated. */
export function idList(values: string[] | undefined, field: string): string[] | undefined {
  if (values === undefined) return undefined;
  const ids = [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
  if (ids.length > 100) throw new ValidationError(field, 'at most 100 ids');
  return ids.length === 0 ? undefined : ids;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 date (midnight UTC) or date-time with Z or an offset, as UTC milliseconds. */
export function parseInstant(text: string, field: string): number {
  const ms = INSTANT.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (Number.isNaN(ms)) throw new ValidationError(field, 'must be an ISO 8601 date or date-time with Z or an offset');
  return ms;
}

export interface TimeRange {
  fromUtc: number;
  toUtc: number;
}

/** Both bounds or neither; the end after the start. */
export function timeRange(start: string | undefined, end: string | undefined): TimeRange | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined) throw new ValidationError('start', 'is required with end');
  if (end === undefined) throw new ValidationError('end', 'is required with start');
  const range = { fromUtc: parseInstant(start, 'start'), toUtc: parseInstant(end, 'end') };
  if (range.toUtc <= range.fromUtc) throw new ValidationError('end', 'must be after start');
  return range;
}
