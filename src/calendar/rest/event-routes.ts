// REST v2 events (issue item 2): CRUD on /events with filters (calendar ids, time range with recurrence
// expansion), paging and sync tokens; /events?expand=true and /events/:id/instances return the instances
// of recurring events in a range (RFC 5545 section 3.8.5). Updates and deletes honour If-Match (412) and
// the event `sequence` (RFC 5545 3.8.7.4; 409 when stale).

import type { FastifyInstance } from 'fastify';
import { applyEventPatch, parseEventCreate } from '../model/event-input.js';
import { ValidationError } from '../model/errors.js';
import { isTombstone, type VisibleEvent } from '../model/types.js';
import { eventJson, instanceJson } from '../model/views.js';
import { expandBetween, type Occurrence } from '../recurrence/expansion.js';
import type { ApiContext } from './api-context.js';
import { idList, ifMatchEtags, timeRange } from './request-params.js';
import { errorResponses } from './route-table.js';
import { Event, EventCreate, EventListQuery, EventPatch, IdParams, IfMatchHeaders, Instance, InstanceQuery, listOf } from './schemas.js';

type Body = Record<string, unknown>;

/** Bounds on one expansion request; beyond them the client is asked to narrow the range. */
const MAX_EXPANDED_EVENTS = 5000;
const MAX_INSTANCES = 20_000;

interface EventListParams {
  calendar_ids?: string[];
  start?: string;
  end?: string;
  expand: boolean;
  limit: number;
  offset: number;
  sync_token?: number;
}

function byStart(a: { o: Occurrence; v: VisibleEvent }, b: { o: Occurrence; v: VisibleEvent }): number {
  return a.o.startUtc - b.o.startUtc || (a.v.event.id < b.v.event.id ? -1 : a.v.event.id > b.v.event.id ? 1 : 0);
}

export function eventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx.deps;

  ctx.table.add(app, {
    method: 'GET',
    url: '/events',
    operationId: 'listEvents',
    summary: 'Events you are subscribed to; with expand=true, their instances in [start, end)',
    tag: 'events',
    querystring: EventListQuery,
    responses: { 200: { description: 'A page of events (or of instances)', schema: listOf({ anyOf: [Event, Instance] }) }, ...errorResponses(410) },
    handler: async (request) => {
      const q = request.query as EventListParams;
      const viewer = ctx.user(request);
      const range = timeRange(q.start, q.end);
      const calendarIds = idList(q.calendar_ids, 'calendar_ids');
      if (!q.expand) {
        // A recurring event is listed when at least one instance falls in the range.
        const filter = range
          ? (v: VisibleEvent): boolean => expandBetween(v.event, range.fromUtc, range.toUtc, v.calendarTimezone, 1).occurrences.length > 0
          : undefined;
        const list = await store.listEvents(viewer, { calendarIds, range, filter, syncToken: q.sync_token, limit: q.limit, offset: q.offset });
        return { items: list.items.map((i) => (isTombstone(i) ? i : eventJson(i))), sync_token: list.syncToken, has_more: list.hasMore };
      }
      if (!range) throw new ValidationError('start', 'expand=true needs start and end');
      if (q.sync_token !== undefined) throw new ValidationError('expand', 'cannot be combined with sync_token');
      const list = await store.listEvents(viewer, { calendarIds, range, limit: MAX_EXPANDED_EVENTS, offset: 0 });
      if (list.hasMore) throw new ValidationError('end', `more than ${MAX_EXPANDED_EVENTS} events in the range; narrow it`);
      const found: Array<{ o: Occurrence; v: VisibleEvent }> = [];
      for (const v of list.items as VisibleEvent[]) {
        const { occurrences, truncated } = expandBetween(v.event, range.fromUtc, range.toUtc, v.calendarTimezone, MAX_INSTANCES);
        if (truncated || found.length + occurrences.length > MAX_INSTANCES) {
          throw new ValidationError('end', `more than ${MAX_INSTANCES} instances in the range; narrow it`);
        }
        for (const o of occurrences) found.push({ o, v });
      }
      found.sort(byStart);
      const page = found.slice(q.offset, q.offset + q.limit);
      return { items: page.map(({ v, o }) => instanceJson(v, o)), sync_token: list.syncToken, has_more: found.length > q.offset + q.limit };
    },
  });

  ctx.table.add(app, {
    method: 'POST',
    url: '/events',
    operationId: 'createEvent',
    summary: 'Create an event in a calendar you may write',
    tag: 'events',
    body: EventCreate,
    responses: { 201: { description: 'Created', schema: Event, etag: true, location: true }, ...errorResponses(403, 404, 409) },
    handler: async (request, reply) => {
      const { calendarId, data } = parseEventCreate(request.body as Body);
      const committed = await store.createEvent(ctx.writer(request), calendarId, data);
      await ctx.publish(request, committed);
      const json = eventJson(committed.value);
      reply.code(201).header('etag', json.etag).header('location', ctx.url(`/events/${json.id}`));
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/events/:id',
    operationId: 'getEvent',
    summary: 'One event',
    tag: 'events',
    params: IdParams,
    responses: { 200: { description: 'The event', schema: Event, etag: true }, ...errorResponses(403, 404) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const json = eventJson(await store.getEvent(ctx.user(request), id));
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'PATCH',
    url: '/events/:id',
    operationId: 'updateEvent',
    summary: 'Change an event you may write; omitted fields keep their value',
    tag: 'events',
    params: IdParams,
    headers: IfMatchHeaders,
    body: EventPatch,
    responses: { 200: { description: 'Updated', schema: Event, etag: true }, ...errorResponses(403, 404, 409, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const { sequence, ...body } = request.body as Body & { sequence?: number };
      const committed = await store.updateEvent(ctx.writer(request), id, (current) => applyEventPatch(current, body), {
        etags: ifMatchEtags(request.headers['if-match']),
        sequence,
      });
      await ctx.publish(request, committed);
      const json = eventJson(committed.value);
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'DELETE',
    url: '/events/:id',
    operationId: 'deleteEvent',
    summary: 'Delete an event you may write',
    tag: 'events',
    params: IdParams,
    headers: IfMatchHeaders,
    responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const committed = await store.deleteEvent(ctx.writer(request), id, { etags: ifMatchEtags(request.headers['if-match']) });
      await ctx.publish(request, committed);
      reply.code(204);
      return undefined;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/events/:id/instances',
    operationId: 'listInstances',
    summary: 'The instances of one event in [start, end), overrides applied',
    tag: 'events',
    params: IdParams,
    querystring: InstanceQuery,
    responses: { 200: { description: 'A page of instances', schema: listOf(Instance, false) }, ...errorResponses(403, 404) },
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { start: string; end: string; limit: number; offset: number };
      const range = timeRange(q.start, q.end)!;
      const v = await store.getEvent(ctx.user(request), id);
      const { occurrences, truncated } = expandBetween(v.event, range.fromUtc, range.toUtc, v.calendarTimezone, q.offset + q.limit + 1);
      const page = occurrences.slice(q.offset, q.offset + q.limit);
      return {
        items: page.map((o) => instanceJson(v, o)),
        sync_token: await store.currentSyncToken(),
        has_more: truncated || occurrences.length > q.offset + q.limit,
      };
    },
  });
}
