// The calendar REST API v2 as one fastify plugin (DESIGN.md sections 1 and 3): everything under /api/v2 in
// an encapsulated scope with its own token authentication, JSON error bodies and text/calendar parser, so
// the rest of the HTTP server (BOSH, WebSocket, metrics) is untouched by it. While it runs, the change log
// is pruned after calendar.change_log_days (calendar/change-log-pruner.ts).

import type { FastifyInstance } from 'fastify';
import { ApiContext, type CalendarApiDeps } from './api-context.js';
import { authRoutes, installAuthentication } from './auth-routes.js';
import { calendarRoutes } from './calendar-routes.js';
import { installErrorHandling } from './errors.js';
import { eventRoutes } from './event-routes.js';
import { icalRoutes } from './ical-routes.js';
import { openApiDocument } from './openapi.js';
import { RouteTable } from './route-table.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { realtimeRoutes } from './realtime-routes.js';
import { installCors } from './cors.js';
import { startChangeLogPruning } from '../change-log-pruner.js';

export type { CalendarApiDeps } from './api-context.js';

export const API_PREFIX = '/api/v2';
const API_VERSION = '2.0.0';

/** Registers /api/v2 (calendars, events, event subscriptions, shares, iCalendar, auth, openapi.json). */
export async function registerCalendarApi(app: FastifyInstance, deps: CalendarApiDeps): Promise<void> {
  await app.register(
    async (scope) => {
      const table = new RouteTable(API_PREFIX);
      const ctx = new ApiContext(deps, table);
      installErrorHandling(scope);
      if (deps.corsOrigin) installCors(scope, deps.corsOrigin);
      installAuthentication(scope, ctx);
      authRoutes(scope, ctx);
      calendarRoutes(scope, ctx);
      eventRoutes(scope, ctx);
      subscriptionRoutes(scope, ctx);
      icalRoutes(scope, ctx);
      if (deps.realtime) realtimeRoutes(scope, ctx, deps.realtime);
      if (deps.changeLogDays) {
        const pruner = startChangeLogPruning({ store: deps.store, days: deps.changeLogDays, log: scope.log });
        // Closing the HTTP server ends a run in progress before the server closes the database.
        scope.addHook('onClose', async () => {
          await pruner.stop();
        });
      }
      let document: object | undefined;
      table.add(scope, {
        method: 'GET',
        url: '/openapi.json',
        operationId: 'openapi',
        summary: 'This document',
        tag: 'meta',
        public: true,
        responses: { 200: { description: 'OpenAPI 3.1 document', contentType: 'application/json' } },
        handler: async (_request, reply) => {
          document ??= openApiDocument(table, API_VERSION);
          reply.type('application/json; charset=utf-8');
          return JSON.stringify(document);
        },
      });
    },
    { prefix: API_PREFIX },
  );
}
