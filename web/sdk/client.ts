// AlmanacClient, the SDK's entry point: signs in over REST (`POST /api/v2/auth/token`), keeps the
// real-time connection up (realtime-connection.ts: XMPP with the same token, WebSocket then BOSH, the
// feed node feed/<username>), turns feed items into typed change events, and resyncs through the REST
// lists after every (re)connect and every gap (feed-sync.ts), so the copy it keeps is complete. Its
// REST writes apply their answer to the copy at once.

import { Emitter } from './emitter.js';
import { FeedSync } from './feed-sync.js';
import { RealtimeConnection, type ConnectionOptions } from './realtime-connection.js';
import { RestApi, type CalendarInput, type EventInput } from './rest-api.js';
import type {
  CalendarJson,
  Change,
  ConnectionState,
  EventJson,
  InstanceJson,
  ShareJson,
  SubscriptionJson,
  SyncedEvent,
} from './types.js';

export interface AlmanacClientOptions extends ConnectionOptions {
  /** A token from an earlier signIn (kept by the application), instead of signing in again. */
  token?: string;
  fetch?: typeof fetch;
}

export interface ClientEvents {
  change: Change;
  state: ConnectionState;
  synced: SyncedEvent;
  error: unknown;
}

export class AlmanacClient extends Emitter<ClientEvents> {
  readonly rest: RestApi;
  readonly sync: FeedSync;
  username: string | undefined;
  private current: ConnectionState = { status: 'offline' };
  private readonly connection: RealtimeConnection;

  constructor(options: AlmanacClientOptions) {
    super();
    this.rest = new RestApi(options.baseUrl ?? '', { token: options.token, fetch: options.fetch });
    this.sync = new FeedSync(this.rest, {
      change: (c) => this.emit('change', c),
      started: () => {
        if (this.connection.liveTransport) this.setState({ status: 'resyncing', transport: this.connection.liveTransport });
      },
      synced: (e) => {
        this.emit('synced', e);
        if (this.connection.liveTransport) this.setState({ status: 'live', transport: this.connection.liveTransport });
      },
      error: (err) => {
        // A failed gap resync: the session is still up, and the next feed item retries the resync.
        if (this.connection.liveTransport) this.setState({ status: 'live', transport: this.connection.liveTransport, error: `resync failed: ${err instanceof Error ? err.message : String(err)}` });
        this.emit('error', err);
      },
    });
    this.connection = new RealtimeConnection(this.rest, this.sync, options, {
      state: (s) => this.setState(s),
      currentTransport: () => this.current.transport,
      error: (err) => this.emit('error', err),
      discovered: (info) => (this.username ??= info.username),
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  get token(): string | undefined {
    return this.rest.token;
  }

  /** Trades username and password for a token (kept for REST and XMPP). */
  async signIn(username: string, password: string): Promise<string> {
    const issued = await this.rest.signIn(username, password);
    this.username = issued.username;
    return issued.token;
  }

  /** Disconnects, revokes the token and forgets the copy. */
  async signOut(): Promise<void> {
    await this.disconnect();
    await this.rest.signOut().catch(() => undefined);
    this.username = undefined;
    this.sync.reset();
  }

  /**
   * Starts the real-time connection and keeps it up (reconnecting after every loss) until disconnect().
   * Resolves the first time the client is live, with its copy synced.
   */
  connect(): Promise<void> {
    if (this.rest.token === undefined) return Promise.reject(new Error('sign in first'));
    return this.connection.start();
  }

  /** Ends the connection (the copy is kept; connect() resumes from its sync tokens). */
  async disconnect(): Promise<void> {
    await this.connection.stop();
    this.setState({ status: 'offline' });
  }

  /** Calendars, events and event subscriptions as they stand in the copy. */
  calendars(): CalendarJson[] {
    return [...this.sync.cache.calendars.values()];
  }

  events(): EventJson[] {
    return [...this.sync.cache.events.values()];
  }

  eventSubscriptions(): SubscriptionJson[] {
    return [...this.sync.cache.subscriptions.values()];
  }

  /** The instances in [start, end), recurrences expanded by the server. */
  instances(start: Date, end: Date, calendarIds?: string[]): Promise<InstanceJson[]> {
    return this.rest.instances(start, end, calendarIds);
  }

  // Writes: the answer is applied to the copy at once; the feed item that follows is then a no-op.

  async createCalendar(input: CalendarInput & { title: string }): Promise<CalendarJson> {
    const json = await this.rest.createCalendar(input);
    this.sync.applyLocal('calendar', json);
    return json;
  }

  async updateCalendar(id: string, patch: CalendarInput, etag?: string): Promise<CalendarJson> {
    const json = await this.rest.updateCalendar(id, patch, etag);
    this.sync.applyLocal('calendar', json);
    return json;
  }

  async deleteCalendar(id: string, etag?: string): Promise<void> {
    await this.rest.deleteCalendar(id, etag);
    this.sync.applyLocalDeletion('calendar', id);
  }

  /** Shares a calendar you own with another user, read or write (or changes the permission). */
  async share(calendarId: string, user: string, permission: 'read' | 'write'): Promise<ShareJson> {
    const share = await this.rest.share(calendarId, user, permission);
    this.sync.applyLocal('calendar', await this.rest.getCalendar(calendarId));
    return share;
  }

  async unshare(calendarId: string, user: string): Promise<void> {
    await this.rest.unshare(calendarId, user);
    if (user !== this.username) this.sync.applyLocal('calendar', await this.rest.getCalendar(calendarId));
    else this.sync.applyLocalDeletion('calendar', calendarId);
  }

  async createEvent(input: EventInput & Pick<EventJson, 'calendar_id' | 'title' | 'start'>): Promise<EventJson> {
    const json = await this.rest.createEvent(input);
    this.sync.applyLocal('event', json);
    return json;
  }

  async updateEvent(id: string, patch: EventInput, etag?: string): Promise<EventJson> {
    const json = await this.rest.updateEvent(id, patch, etag);
    this.sync.applyLocal('event', json);
    return json;
  }

  async deleteEvent(id: string, etag?: string): Promise<void> {
    await this.rest.deleteEvent(id, etag);
    this.sync.applyLocalDeletion('event', id);
  }

  private setState(state: ConnectionState): void {
    const same =
      state.status === this.current.status && state.transport === this.current.transport && state.error === this.current.error && state.retryInMs === this.current.retryInMs;
    this.current = state;
    if (!same) this.emit('state', state);
  }
}
