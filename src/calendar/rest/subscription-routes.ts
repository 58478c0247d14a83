// REST v2 event subscriptions (DESIGN.md section 3: "who is told about a change to this event"): the
// subscriptions that come with owning or being shared a calendar, and direct invitations to one event
// with an RSVP (attending, not_attending, not_replied).

import type { FastifyInstance } from 'fastify';
import { ForbiddenError, ValidationError } from '../model/errors.js';
import { canWrite } from '../model/permissions.js';
import { isTombstone } from '../model/types.js';
import { subscriptionJson } from '../model/views.js';
import type { ApiContext } from './api-context.js';
import { normaliseUsername } from './auth-routes.js';
import { idList, ifMatchEtags } from './request-params.js';
import { errorResponses } from './route-table.js';
import { IdParams, IfMatchHeaders, listOf, Subscription, SubscriptionCreate, SubscriptionListQuery, SubscriptionPatch } from './schemas.js';

export function subscriptionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx.deps;

  ctx.table.add(app, {
    method: 'GET',
    url: '/event_subscriptions',
    operationId: 'listEventSubscriptions',
    summary: 'Your subscriptions, and the invitations to events you may write',
    tag: 'event_subscriptions',
    querystring: SubscriptionListQuery,
    responses: { 200: { description: 'A page of subscriptions', schema: listOf(Subscription) }, ...errorResponses(410) },
    handler: async (request) => {
      const q = request.query as { event_ids?: string[]; calendar_ids?: string[]; limit: number; offset: number; sync_token?: number };
      const list = await store.listSubscriptions(ctx.user(request), {
        eventIds: idList(q.event_ids, 'event_ids'),
        calendarIds: idList(q.calendar_ids, 'calendar_ids'),
        syncToken: q.sync_token,
        limit: q.limit,
        offset: q.offset,
      });
      return { items: list.items.map((i) => (isTombstone(i) ? i : subscriptionJson(i))), sync_token: list.syncToken, has_more: list.hasMore };
    },
  });

  ctx.table.add(app, {
    method: 'POST',
    url: '/event_subscriptions',
    operationId: 'inviteToEvent',
    summary: 'Invite a user to an event you may write',
    tag: 'event_subscriptions',
    body: SubscriptionCreate,
    responses: { 201: { description: 'Invited', schema: Subscription, etag: true, location: true }, ...errorResponses(403, 404, 409) },
    handler: async (request, reply) => {
      const body = request.body as { event_id: string; user: string; permission: 'read' | 'write' };
      const user = normaliseUsername(body.user, 'user');
      const writer = ctx.writer(request);
      // Permission first, so that only a writer of the event learns whether an account exists.
      if (!canWrite((await store.getEvent(writer.actor, body.event_id)).access.level)) {
        throw new ForbiddenError('you may only read this event');
      }
      if (!(await ctx.deps.accounts.exists(user))) throw new ValidationError('user', 'no such user');
      const committed = await store.inviteToEvent(writer, body.event_id, user, body.permission);
      await ctx.publish(request, committed);
      const json = subscriptionJson(committed.value);
      reply.code(201).header('etag', json.etag).header('location', ctx.url(`/event_subscriptions/${json.id}`));
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/event_subscriptions/:id',
    operationId: 'getEventSubscription',
    summary: 'One subscription',
    tag: 'event_subscriptions',
    params: IdParams,
    responses: { 200: { description: 'The subscription', schema: Subscription, etag: true }, ...errorResponses(403, 404) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const json = subscriptionJson(await store.getSubscription(ctx.user(request), id));
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'PATCH',
    url: '/event_subscriptions/:id',
    operationId: 'updateEventSubscription',
    summary: 'Answer (rsvp_status, by the subscriber) or change an invitation permission (by a writer)',
    tag: 'event_subscriptions',
    params: IdParams,
    headers: IfMatchHeaders,
    body: SubscriptionPatch,
    responses: { 200: { description: 'Updated', schema: Subscription, etag: true }, ...errorResponses(403, 404, 409, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { rsvp_status?: 'attending' | 'not_attending' | 'not_replied'; permission?: 'read' | 'write' };
      const committed = await store.updateSubscription(
        ctx.writer(request),
        id,
        { rsvp: body.rsvp_status, permission: body.permission },
        { etags: ifMatchEtags(request.headers['if-match']) },
      );
      await ctx.publish(request, committed);
      const json = subscriptionJson(committed.value);
      reply.header('etag', json.etag);
      return json;
    },
  });

  ctx.table.add(app, {
    method: 'DELETE',
    url: '/event_subscriptions/:id',
    operationId: 'deleteEventSubscription',
    summary: 'Withdraw an invitation (the invitee or a writer of the event)',
    tag: 'event_subscriptions',
    params: IdParams,
    headers: IfMatchHeaders,
    responses: { 204: { description: 'Withdrawn' }, ...errorResponses(403, 404, 409, 412) },
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const committed = await store.deleteSubscription(ctx.writer(request), id, { etags: ifMatchEtags(request.headers['if-match']) });
      await ctx.publish(request, committed);
      reply.code(204);
      return undefined;
    },
  });
}
