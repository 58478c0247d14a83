// AlmanacClient: signs in over REST (`POST /api/v2/auth/token`), finds the real-time endpoints
// (`GET /api/v2/realtime`, DESIGN.md section 3), logs in over XMPP with the same token, WebSocket first
// and BOSH when WebSocket cannot be used, subscribes to feed/<username> on the pubsub service when not
// yet subscribed (XEP-0060 6.1), and turns feed items into typed change events. Every (re)connect, and
// every gap in the feed, resyncs through the REST lists with the last sync tokens (feed-sync.ts), so the
// copy it keeps is complete. Lost connections are retried with capped exponential backoff.

import { Emitter } from './emitter.js';
import { FeedItemError, parseChange, type RawFeedItem } from './feed-item.js';
import { FeedSync } from './feed-sync.js';
import { discoverRealtime, type ResolvedRealtime } from './realtime-discovery.js';
import { ApiError, RestApi, type CalendarInput, type EventInput } from './rest-api.js';
import type {
  CalendarJson,
  Change,
  ConnectionState,
  EventJson,
  InstanceJson,
  RealtimeInfo,
  ShareJson,
  SubscriptionJson,
  SyncedEvent,
  Transport,
} from './types.js';
import type { XmppLink, XmppLinkFactory } from './xmpp-link.js';

export interface AlmanacClientOptions {
  /** The XMPP library adapter: `stropheLink(...)` in browsers, `stanzaLink` in Node. */
  link: XmppLinkFactory;
  /** The server's origin, e.g. `https://cal.example.com`; '' (the default) is the page's own origin. */
  baseUrl?: string;
  /** A token from an earlier signIn (kept by the application), instead of signing in again. */
  token?: string;
  /** Transports to try, in order. */
  transports?: Transport[];
  /** Give up on one connection attempt after this long. */
  connectTimeoutMs?: number;
  /** Backoff between reconnection attempts: doubles from `minMs` up to `maxMs`. */
  reconnect?: { minMs: number; maxMs: number };
  /** Values that take precedence over (or stand in for) GET /api/v2/realtime. */
  realtime?: Partial<RealtimeInfo>;
  fetch?: typeof fetch;
}

export interface ClientEvents {
  change: Change;
  state: ConnectionState;
  synced: SyncedEvent;
  error: unknown;
}

class Stopped extends Error {}

export class AlmanacClient extends Emitter<ClientEvents> {
  readonly rest: RestApi;
  readonly sync: FeedSync;
  username: string | undefined;
  private current: ConnectionState = { status: 'offline' };
  private wanted = false;
  private running: Promise<void> | undefined;
  private link: XmppLink | undefined;
  /** The transport of the session that is up, if any. */
  private liveTransport: Transport | undefined;
  /** Ends the current wait (a backoff sleep or a live session) early, for disconnect(). */
  private interrupt: (() => void) | undefined;
  private firstLive: { promise: Promise<void>; resolve(): void; reject(err: unknown): void } | undefined;

  constructor(private readonly options: AlmanacClientOptions) {
    super();
    this.rest = new RestApi(options.baseUrl ?? '', { token: options.token, fetch: options.fetch });
    this.sync = new FeedSync(this.rest, {
      change: (c) => this.emit('change', c),
      started: () => {
        if (this.liveTransport) this.setState({ status: 'resyncing', transport: this.liveTransport });
      },
      synced: (e) => {
        this.emit('synced', e);
        if (this.liveTransport) this.setState({ status: 'live', transport: this.liveTransport });
      },
      error: (err) => {
        // A failed gap resync: the session is still up, and the next feed item retries the resync.
        if (this.liveTransport) this.setState({ status: 'live', transport: this.liveTransport, error: `resync failed: ${err instanceof Error ? err.message : String(err)}` });
        this.emit('error', err);
      },
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
    this.wanted = true;
    if (!this.firstLive) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined);
      this.firstLive = { promise, resolve, reject };
    }
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.firstLive.promise;
  }

  /** Ends the connection (the copy is kept; connect() resumes from its sync tokens). */
  async disconnect(): Promise<void> {
    this.wanted = false;
    this.interrupt?.();
    const link = this.link;
    this.link = undefined;
    await link?.disconnect();
    await this.running;
    this.firstLive?.reject(new Error('disconnected'));
    this.firstLive = undefined;
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

  private async run(): Promise<void> {
    const { minMs, maxMs } = this.options.reconnect ?? { minMs: 1000, maxMs: 30_000 };
    let failures = 0;
    while (this.wanted) {
      let error: string;
      try {
        const info = await discoverRealtime(this.rest, this.options.baseUrl ?? '', this.options.realtime);
        this.username ??= info.username;
        const dropped = await this.session(info);
        failures = 0;
        error = dropped;
      } catch (err) {
        if (err instanceof Stopped) break;
        if (err instanceof ApiError && err.status === 401) {
          this.wanted = false;
          this.firstLive?.reject(err);
          this.firstLive = undefined;
          this.setState({ status: 'offline', error: 'signed out: the token is no longer valid' });
          this.emit('error', err);
          break;
        }
        failures++;
        error = err instanceof Error ? err.message : String(err);
      }
      if (!this.wanted) break;
      const delay = failures === 0 ? 0 : Math.min(maxMs, minMs * 2 ** (failures - 1)) * (0.75 + Math.random() / 2);
      this.setState({ status: 'offline', error, ...(delay > 0 ? { retryInMs: Math.round(delay) } : {}) });
      if (delay > 0) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.interrupt = done;
    });
  }

  /** One session: connect, subscribe, resync, then live until the link drops; resolves with the reason. */
  private async session(info: ResolvedRealtime): Promise<string> {
    let end!: (reason: string) => void;
    const ended = new Promise<string>((resolve) => (end = resolve));
    const watchdog = new HeartbeatWatchdog(info.heartbeatMinutes, () => end('no heartbeat from the server'));
    this.interrupt = () => end('disconnected');
    const link = await this.open(info, {
      item: (raw) => {
        if (raw.node === info.heartbeatNode) watchdog.beat();
        else this.onItem(raw, info);
      },
      dropped: (reason) => end(reason),
    });
    try {
      const transport = this.current.transport!;
      this.setState({ status: 'resyncing', transport });
      await this.ensureSubscribed(link, info.pubsubService, info.node);
      if (info.heartbeatNode && info.heartbeatMinutes > 0) await this.ensureSubscribed(link, info.pubsubService, info.heartbeatNode);
      await this.sync.resync('connect');
      if (!this.wanted) throw new Stopped();
      this.liveTransport = transport;
      this.setState({ status: this.sync.resyncing ? 'resyncing' : 'live', transport });
      this.firstLive?.resolve();
      watchdog.beat();
      return await ended;
    } finally {
      // Whatever ended the session, its link goes before the next attempt.
      this.liveTransport = undefined;
      watchdog.stop();
      if (this.link === link) this.link = undefined;
      await link.disconnect().catch(() => undefined);
    }
  }

  /** Tries each transport in order; the first that yields a session wins. */
  private async open(info: ResolvedRealtime, handlers: Parameters<XmppLink['connect']>[1]): Promise<XmppLink> {
    const failures: string[] = [];
    for (const transport of this.options.transports ?? ['websocket', 'bosh']) {
      const url = transport === 'websocket' ? info.websocketUrl : info.boshUrl;
      if (!url) continue;
      if (!this.wanted) throw new Stopped();
      this.setState({ status: 'connecting', transport });
      const link = this.options.link();
      this.link = link;
      try {
        await link.connect({ jid: info.jid, token: this.rest.token!, transport, url, timeoutMs: this.options.connectTimeoutMs ?? 10_000 }, handlers);
        if (!this.wanted) {
          await link.disconnect();
          throw new Stopped();
        }
        return link;
      } catch (err) {
        if (err instanceof Stopped) throw err;
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new Error(failures.length > 0 ? failures.join('; ') : 'the server offers neither WebSocket nor BOSH');
  }

  /** XEP-0060 5.6 then 6.1: subscribe the bare JID unless it already is (a failed query just subscribes). */
  private async ensureSubscribed(link: XmppLink, service: string, node: string): Promise<void> {
    const states = await link.subscriptions(service, node).catch(() => [] as string[]);
    if (states.includes('subscribed')) return;
    const state = await link.subscribe(service, node);
    if (state !== 'subscribed') throw new Error(`the subscription to ${node} is ${state}`);
  }

  private onItem(raw: RawFeedItem, info: ResolvedRealtime): void {
    if (raw.node !== info.node || raw.change === undefined) return;
    try {
      this.sync.receive(parseChange(raw.change));
    } catch (err) {
      this.emit('error', err instanceof FeedItemError ? new FeedItemError(`feed item ${raw.itemId ?? '?'}: ${err.message}`) : err);
    }
  }
}

/** A silent heartbeat node for 2.5 intervals means a broken feed, even when the stream looks alive. */
class HeartbeatWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly minutes: number,
    private readonly expired: () => void,
  ) {}

  beat(): void {
    if (this.minutes <= 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.expired, this.minutes * 150_000);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
