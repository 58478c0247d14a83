// Validation of calendar bodies (issue item 1: calendars with title, color, timezone, description). The
// REST schemas reject wrong types first; these checks hold for any caller and name the offending field.

import { ValidationError } from './errors.js';
import { checkZone } from './event-time.js';
import type { CalendarData } from './types.js';

export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export function checkText(value: unknown, field: string, max: number, required = false): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
  if (required && value.trim() === '') throw new ValidationError(field, 'must not be empty');
  if (value.length > max) throw new ValidationError(field, `must be at most ${max} characters`);
  return value;
}

export function checkColor(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !COLOR_PATTERN.test(value)) throw new ValidationError(field, 'must be #rrggbb or null');
  return value.toLowerCase();
}

type Body = Record<string, unknown>;

export function parseCalendarCreate(body: Body): CalendarData {
  if (body.title === undefined) throw new ValidationError('title', 'is required');
  return {
    title: checkText(body.title, 'title', 200, true),
    color: body.color === undefined ? null : checkColor(body.color, 'color'),
    timezone: body.timezone === undefined ? 'UTC' : checkZone(body.timezone, 'timezone'),
    description: body.description === undefined ? '' : checkText(body.description, 'description', 10_000),
  };
}

export function applyCalendarPatch(current: CalendarData, body: Body): CalendarData {
  return {
    title: body.title === undefined ? current.title : checkText(body.title, 'title', 200, true),
    color: body.color === undefined ? current.color : checkColor(body.color, 'color'),
    timezone: body.timezone === undefined ? current.timezone : checkZone(body.timezone, 'timezone'),
    description: body.description === undefined ? current.description : checkText(body.description, 'description', 10_000),
  };
}
