// What every route of the calendar API shares: its dependencies, the authenticated user of a request, the
// write context, and the hand-over of committed changes to the feed (DESIGN.md section 3). Changes are
// handed over only after the store's transaction committed, in the order the store produced them.

import type { FastifyRequest } from 'fastify';
import type { AccountStore } from '../../storage/accounts.js';
import type { TokenStore } from '../../storage/tokens.js';
import type { CalendarStore, Committed, WriteContext } from '../../storage/calendar-store.js';
import { committedChanges, type ChangeSink } from '../feed/change.js';
import { UnauthorizedError } from './errors.js';
import type { RouteTable } from './route-table.js';
import type { RealtimeSettings } from './realtime-routes.js';

export interface CalendarApiDeps {
  store: CalendarStore;
  accounts: AccountStore;
  tokens: TokenStore;
  feed: ChangeSink;
  now?: () => Date;
  /** The Access-Control-Allow-Origin for a request's Origin (undefined: not allowed, no CORS). */
  corsOrigin?: (origin: string | undefined) => string | undefined;
  /** Requests allowed per token per minute (limits.rest_requests_per_minute); unlimited when absent. */
  requestsPerMinute?: number;
  /** Served at GET /api/v2/realtime when given. */
  realtime?: RealtimeSettings;
  /** calendar.change_log_days: the change log is pruned on a timer while the API runs; 0 or absent keeps it. */
  changeLogDays?: number;
}

export class ApiContext {
  private readonly users = new WeakMap<FastifyRequest, string>();

  constructor(
    readonly deps: CalendarApiDeps,
    readonly table: RouteTable,
  ) {}

  now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  setUser(request: FastifyRequest, username: string): void {
    this.users.set(request, username);
  }

  /** The username the request's token belongs to (routes behind the auth hook only). */
  user(request: FastifyRequest): string {
    const user = this.users.get(request);
    if (user === undefined) throw new UnauthorizedError('authentication required');
    return user;
  }

  writer(request: FastifyRequest): WriteContext {
    return { actor: this.user(request), now: this.now() };
  }

  /** Hands a committed write's changes to the feed; a failing sink is logged, the write stands. */
  async publish(request: FastifyRequest, committed: Committed<unknown>): Promise<void> {
    const actor = this.user(request);
    // Every change is handed over before any is awaited, so the feed can publish the items of one
    // write together (it keeps their order per feed node); the answer waits until all are out.
    await Promise.all(
      committedChanges(committed, actor).map((change) =>
        Promise.resolve(this.deps.feed.committed(change)).catch((err) =>
          request.log.error({ err, resource: change.resource, id: change.id }, 'feed did not take a committed change'),
        ),
      ),
    );
  }

  url(path: string): string {
    return this.table.prefix + path;
  }
}
