// iCalendar import and export of one calendar as text/calendar (RFC 5545; media type registration in
// section 8.1). Export needs read access, import write access; an import is one transaction (one sync
// token), matching existing events by UID.

import type { FastifyInstance } from 'fastify';
import { exportCalendar } from '../ical/export.js';
import { parseICalendar } from '../ical/import.js';
import { isTombstone, type EventRecord } from '../model/types.js';
import type { ApiContext } from './api-context.js';
import { UnsupportedMediaTypeError } from './errors.js';
import { errorResponses } from './route-table.js';
import { IdParams, ImportResult } from './schemas.js';

const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;
const MAX_EXPORT_EVENTS = 100_000;

export function icalRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx.deps;
  app.addContentTypeParser('text/calendar', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/calendars/:id/ical',
    operationId: 'exportCalendar',
    summary: 'The calendar as iCalendar',
    tag: 'ical',
    params: IdParams,
    responses: {
      200: { description: 'VCALENDAR with VTIMEZONEs and VEVENTs', contentType: 'text/calendar' },
      ...errorResponses(403, 404),
    },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const viewer = ctx.user(request);
      const calendar = await store.getCalendar(viewer, id);
      const list = await store.listEvents(viewer, { calendarIds: [id], limit: MAX_EXPORT_EVENTS, offset: 0 });
      const events = list.items.filter((i): i is Exclude<typeof i, { deleted: true }> => !isTombstone(i)).map((v) => v.event as EventRecord);
      reply.type('text/calendar; charset=utf-8');
      return exportCalendar(calendar.calendar.calendar, events, ctx.now());
    },
  });

  ctx.table.add(app, {
    method: 'POST',
    url: '/calendars/:id/ical',
    operationId: 'importCalendar',
    summary: 'Import iCalendar events into the calendar (matched by UID: created or updated)',
    tag: 'ical',
    params: IdParams,
    body: { type: 'string' },
    bodyContentType: 'text/calendar',
    bodyLimit: IMPORT_BODY_LIMIT,
    responses: { 200: { description: 'What was created, updated and skipped', schema: ImportResult }, ...errorResponses(403, 404, 413, 415) },
    handler: async (request) => {
      const { id } = request.params as { id: string };
      if (!/^text\/calendar\b/i.test(String(request.headers['content-type'] ?? ''))) {
        throw new UnsupportedMediaTypeError('send the iCalendar document as text/calendar');
      }
      const writer = ctx.writer(request);
      const calendar = await store.getCalendar(writer.actor, id);
      const parsed = parseICalendar(String(request.body ?? ''), calendar.calendar.calendar.timezone);
      const committed = await store.importEvents(writer, id, parsed.events);
      await ctx.publish(request, committed);
      return { ...committed.value, skipped: parsed.skipped, sync_token: committed.syncToken };
    },
  });
}
