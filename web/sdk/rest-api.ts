// The calendar REST API v2 (DESIGN.md section 3, docs/REST.md) as the SDK and the web app use it: token
// issue (`POST /api/v2/auth/token`, then `Authorization: Token <t>`), the list endpoints with paging and
// `?sync_token=T`, event instances in a range, and the writes of calendars, shares and events, with
// If-Match (RFC 9110 section 13.1.1) where the caller passes an etag.

import type {
  CalendarJson,
  ChangeResource,
  EventJson,
  InstanceJson,
  RealtimeInfo,
  ResourceJson,
  ShareJson,
  Tombstone,
} from './types.js';

/** An HTTP error answer of the API: `{ error, message, field?, current_etag? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly field?: string,
    readonly currentEtag?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface SyncPage<T> {
  items: Array<T | Tombstone>;
  syncToken: number;
}

export type CalendarInput = Partial<Pick<CalendarJson, 'title' | 'color' | 'timezone' | 'description'>>;
export type EventInput = Partial<
  Pick<EventJson, 'calendar_id' | 'uid' | 'title' | 'description' | 'location' | 'color' | 'start' | 'rrule' | 'rdates' | 'exdates' | 'overrides'>
> & { end?: EventJson['end'] | null };

const LIST_PATHS: Record<ChangeResource, string> = {
  calendar: '/calendars',
  event: '/events',
  event_subscription: '/event_subscriptions',
};
const PAGE_SIZE = 1000;

type Fetch = typeof fetch;

export class RestApi {
  token: string | undefined;
  private readonly api: string;
  private readonly fetchImpl: Fetch;

  /** `baseUrl` is the server's origin ('' for the page's own origin in a browser). */
  constructor(
    readonly baseUrl: string,
    options: { token?: string; fetch?: Fetch } = {},
  ) {
    this.api = `${baseUrl.replace(/\/+$/, '')}/api/v2`;
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.token !== undefined) h.authorization = `Token ${this.token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await this.fetchImpl(this.api + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; message?: string; field?: string; current_etag?: string };
      throw new ApiError(res.status, e.error ?? 'http_error', e.message ?? `${method} ${path}: HTTP ${res.status}`, e.field, e.current_etag);
    }
    return json as T;
  }

  /** Trades a password for a token and keeps it for later calls. */
  async signIn(username: string, password: string, label = 'almanac sdk'): Promise<{ token: string; username: string }> {
    const issued = await this.request<{ token: string; username: string }>('POST', '/auth/token', { username, password, label });
    this.token = issued.token;
    return { token: issued.token, username: issued.username };
  }

  /** Revokes the token this client holds. */
  async signOut(): Promise<void> {
    if (this.token === undefined) return;
    try {
      await this.request('DELETE', '/auth/token');
    } finally {
      this.token = undefined;
    }
  }

  me(): Promise<{ username: string }> {
    return this.request('GET', '/users/me');
  }

  realtime(): Promise<RealtimeInfo> {
    return this.request('GET', '/realtime');
  }

  /**
   * Every page of a list endpoint; with `syncToken`, only what changed after it (tombstones included).
   * The token returned is the smallest any page reported, so nothing after it can have been skipped.
   */
  async list<R extends ChangeResource>(resource: R, syncToken?: number): Promise<SyncPage<ResourceJson[R]>> {
    const items: Array<ResourceJson[R] | Tombstone> = [];
    let token: number | undefined;
    for (let offset = 0; ; ) {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
      if (syncToken !== undefined) query.set('sync_token', String(syncToken));
      const page = await this.request<{ items: Array<ResourceJson[R] | Tombstone>; sync_token: number; has_more: boolean }>(
        'GET',
        `${LIST_PATHS[resource]}?${query}`,
      );
      items.push(...page.items);
      token = token === undefined ? page.sync_token : Math.min(token, page.sync_token);
      if (!page.has_more || page.items.length === 0) break;
      offset += page.items.length;
    }
    return { items, syncToken: token! };
  }

  /** The instances of every visible event (recurrences expanded by the server) in [start, end). */
  async instances(start: Date, end: Date, calendarIds?: string[]): Promise<InstanceJson[]> {
    const out: InstanceJson[] = [];
    for (let offset = 0; ; ) {
      const query = new URLSearchParams({ expand: 'true', start: start.toISOString(), end: end.toISOString(), limit: String(PAGE_SIZE), offset: String(offset) });
      if (calendarIds && calendarIds.length > 0) query.set('calendar_ids', calendarIds.join(','));
      const page = await this.request<{ items: InstanceJson[]; has_more: boolean }>('GET', `/events?${query}`);
      out.push(...page.items);
      if (!page.has_more || page.items.length === 0) return out;
      offset += page.items.length;
    }
  }

  getCalendar(id: string): Promise<CalendarJson> {
    return this.request('GET', `/calendars/${encodeURIComponent(id)}`);
  }

  createCalendar(input: CalendarInput & { title: string }): Promise<CalendarJson> {
    return this.request('POST', '/calendars', input);
  }

  updateCalendar(id: string, patch: CalendarInput, etag?: string): Promise<CalendarJson> {
    return this.request('PATCH', `/calendars/${encodeURIComponent(id)}`, patch, ifMatch(etag));
  }

  async deleteCalendar(id: string, etag?: string): Promise<void> {
    await this.request('DELETE', `/calendars/${encodeURIComponent(id)}`, undefined, ifMatch(etag));
  }

  async shares(calendarId: string): Promise<ShareJson[]> {
    return (await this.request<{ items: ShareJson[] }>('GET', `/calendars/${encodeURIComponent(calendarId)}/shares`)).items;
  }

  /** Shares a calendar you own with `user`, or changes their permission. */
  share(calendarId: string, user: string, permission: 'read' | 'write'): Promise<ShareJson> {
    return this.request('PUT', `/calendars/${encodeURIComponent(calendarId)}/shares/${encodeURIComponent(user)}`, { permission });
  }

  async unshare(calendarId: string, user: string): Promise<void> {
    await this.request('DELETE', `/calendars/${encodeURIComponent(calendarId)}/shares/${encodeURIComponent(user)}`);
  }

  getEvent(id: string): Promise<EventJson> {
    return this.request('GET', `/events/${encodeURIComponent(id)}`);
  }

  createEvent(input: EventInput & Pick<EventJson, 'calendar_id' | 'title' | 'start'>): Promise<EventJson> {
    return this.request('POST', '/events', input);
  }

  updateEvent(id: string, patch: EventInput, etag?: string): Promise<EventJson> {
    return this.request('PATCH', `/events/${encodeURIComponent(id)}`, patch, ifMatch(etag));
  }

  async deleteEvent(id: string, etag?: string): Promise<void> {
    await this.request('DELETE', `/events/${encodeURIComponent(id)}`, undefined, ifMatch(etag));
  }

}

function ifMatch(etag: string | undefined): Record<string, string> {
  return etag === undefined ? {} : { 'if-match': etag };
}
