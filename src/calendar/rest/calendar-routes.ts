// REST v2 calendars and calendar shares (issue items 1 and 2): CRUD on /calendars, and /calendars/:id/shares
// to share a calendar read or write with another user, whose event subscriptions follow in the same
// transaction. Updates and deletes honour If-Match (RFC 9110 section 13.1.1).

import type { FastifyInstance } from 'fastify';
import { applyCalendarPatch, parseCalendarCreate } from '../model/calendar-input.js';
import { ForbiddenError, ValidationError } from '../model/errors.js';
import { isTombstone } from '../model/types.js';
import { calendarJson, shareJson } from '../model/views.js';
import type { ApiContext } from './api-context.js';
import { normaliseUsername } from './auth-routes.js';
import { ifMatchEtags } from './request-params.js';
import { errorResponses } from './route-table.js';
import {
  Calendar,
  CalendarCreate,
  CalendarListQuery,
  CalendarPatch,
  IdParams,
  IfMatchHeaders,
  listOf,
  Share,
  ShareParams,
  SharePut,
} from './schemas.js';

type Body = Record<string, unknown>;

export function calendarRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx.deps;

  ctx.table.add(app, {
    method: 'GET',
    url: '/calendars',
    operationId: 'listCalendars',
    summary: 'Calendars you own or that are shared with you',
    tag: 'calendars',
    querystring: CalendarListQuery,
    responses: { 200: { description: 'A page of calendars', schema: listOf(Calendar) }, ...errorResponses(410) },
    handler: async (request) => {
      const q = request.query as { limit: number; offset: number; sync_token?: number };
      const list = await store.listCalendars(ctx.user(request), { limit: q.limit, offset: q.offset, syncToken: q.sync_token });
      return { items: list.items.map((i) => (isTombstone(i) ? i : calendarJson(i))), sync_token: list.syncToken, has_more: list.hasMore };
    },
  });

  ctx.table.add(app, {
    method: 'POST',
    url: '/calendars',
    operationId: 'createCalendar',
    summary: 'Create a calendar you own',
    tag: 'calendars',
    body: CalendarCreate,
    responses: { 201: { description: 'Created', schema: Calendar, etag: true, location: true } },
    handler: async (request, reply) => {
      const committed = await store.createCalendar(ctx.writer(request), parseCalendarCreate(request.body as Body));
      await ctx.publish(request, committed);
      const json = calendarJson(committed.value);
      reply.code(201).header('etag', json.etag).header('location', ctx.url(`/calendars/${json.id}`));
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/calendars/:id',
    operationId: 'getCalendar',
    summary: 'One calendar',
    tag: 'calendars',
    params: IdParams,
    responses: { 200: { description: 'The calendar', schema: Calendar, etag: true }, ...errorResponses(403, 404) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const json = calendarJson(await store.getCalendar(ctx.user(request), id));
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'PATCH',
    url: '/calendars/:id',
    operationId: 'updateCalendar',
    summary: 'Change a calendar you own',
    tag: 'calendars',
    params: IdParams,
    headers: IfMatchHeaders,
    body: CalendarPatch,
    responses: { 200: { description: 'Updated', schema: Calendar, etag: true }, ...errorResponses(403, 404, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Body;
      const committed = await store.updateCalendar(ctx.writer(request), id, (c) => applyCalendarPatch(c, body), {
        etags: ifMatchEtags(request.headers['if-match']),
      });
      await ctx.publish(request, committed);
      const json = calendarJson(committed.value);
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'DELETE',
    url: '/calendars/:id',
    operationId: 'deleteCalendar',
    summary: 'Delete a calendar you own, with its events',
    tag: 'calendars',
    params: IdParams,
    headers: IfMatchHeaders,
    responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const committed = await store.deleteCalendar(ctx.writer(request), id, { etags: ifMatchEtags(request.headers['if-match']) });
      await ctx.publish(request, committed);
      reply.code(204);
      return undefined;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/calendars/:id/shares',
    operationId: 'listShares',
    summary: 'Who the calendar is shared with',
    tag: 'shares',
    params: IdParams,
    responses: {
      200: { description: 'The shares', schema: { type: 'object', properties: { items: { type: 'array', items: Share } }, required: ['items'], additionalProperties: false } },
      ...errorResponses(403, 404),
    },
    handler: async (request) => {
      const { id } = request.params as { id: string };
      return { items: (await store.listShares(ctx.user(request), id)).map(shareJson) };
    },
  });

  ctx.table.add(app, {
    method: 'PUT',
    url: '/calendars/:id/shares/:user',
    operationId: 'putShare',
    summary: 'Share the calendar with a user, or change their permission (owner only)',
    tag: 'shares',
    params: ShareParams,
    body: SharePut,
    responses: {
      200: { description: 'Permission changed', schema: Share },
      201: { description: 'Shared', schema: Share },
      ...errorResponses(403, 404),
    },
    handler: async (request, reply) => {
      const params = request.params as { id: string; user: string };
      const { permission } = request.body as { permission: 'read' | 'write' };
      const user = normaliseUsername(params.user, 'user');
      const writer = ctx.writer(request);
      // Permission first, so that only the owner learns whether an account exists.
      if ((await store.getCalendar(writer.actor, params.id)).level !== 'owner') {
        throw new ForbiddenError('only the owner of the calendar may do this');
      }
      if (!(await ctx.deps.accounts.exists(user))) throw new ValidationError('user', 'no such user');
      const committed = await store.putShare(writer, params.id, user, permission);
      await ctx.publish(request, committed);
      reply.code(committed.value.created ? 201 : 200);
      return shareJson(committed.value.share);
    },
  });

  ctx.table.add(app, {
    method: 'DELETE',
    url: '/calendars/:id/shares/:user',
    operationId: 'deleteShare',
    summary: 'Stop sharing (the owner), or leave a calendar shared with you (the sharee)',
    tag: 'shares',
    params: ShareParams,
    responses: { 204: { description: 'No longer shared' }, ...errorResponses(403, 404) },
    handler: async (request, reply) => {
      const params = request.params as { id: string; user: string };
      const committed = await store.deleteShare(ctx.writer(request), params.id, normaliseUsername(params.user, 'user'));
      await ctx.publish(request, committed);
      reply.code(204);
      return undefined;
    },
  });
}

