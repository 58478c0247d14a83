// The real-time connection of AlmanacClient (DESIGN.md section 3): discovery (realtime-discovery.ts),
// XMPP over WebSocket (RFC 7395) and, when that fails, BOSH (XEP-0206), the feed subscription (XEP-0060
// 5.6 and 6.1), a resync through the REST lists before going live, and after any loss a new session,
// at once and then with capped exponential backoff while attempts fail. A 401 from the REST API means
// the token is gone: the loop stops in the signed-out state.

import { FeedItemError, parseChange, type RawFeedItem } from './feed-item.js';
import type { FeedSync } from './feed-sync.js';
import { discoverRealtime, type ResolvedRealtime } from './realtime-discovery.js';
import { ApiError, type RestApi } from './rest-api.js';
import type { ConnectionState, RealtimeInfo, Transport } from './types.js';
import { XmppRequestError, type SubscriptionState, type XmppLink, type XmppLinkFactory } from './xmpp-link.js';

export interface ConnectionOptions {
  /** The XMPP library adapter: `stropheLink(...)` in browsers, `stanzaLink` in Node. */
  link: XmppLinkFactory;
  /** The server's origin, e.g. `https://cal.example.com`; '' (the default) is the page's own origin. */
  baseUrl?: string;
  /** Transports to try, in order (default WebSocket, then BOSH). */
  transports?: Transport[];
  /** Give up on one connection attempt after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Backoff between failed attempts: doubles from `minMs` up to `maxMs` (default 1 s to 30 s). */
  reconnect?: { minMs: number; maxMs: number };
  /** Values that take precedence over (or stand in for) GET /api/v2/realtime. */
  realtime?: Partial<RealtimeInfo>;
}

export interface ConnectionHooks {
  state(state: ConnectionState): void;
  /** The transport of the connection state now in force, if any. */
  currentTransport(): Transport | undefined;
  error(err: unknown): void;
  discovered(info: ResolvedRealtime): void;
}

class Stopped extends Error {}

export const SIGNED_OUT = 'signed out: the token is no longer valid';

export class RealtimeConnection {
  private wanted = false;
  private running: Promise<void> | undefined;
  private link: XmppLink | undefined;
  /** The transport of the session that is up, if any. */
  liveTransport: Transport | undefined;
  /** Ends the current wait (a backoff sleep or a live session) early, for stop(). */
  private interrupt: (() => void) | undefined;
  private firstLive: { promise: Promise<void>; resolve(): void; reject(err: unknown): void } | undefined;

  constructor(
    private readonly rest: RestApi,
    private readonly sync: FeedSync,
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** Starts the loop unless it runs; resolves the first time a session is live. */
  start(): Promise<void> {
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

  async stop(): Promise<void> {
    this.wanted = false;
    this.interrupt?.();
    const link = this.link;
    this.link = undefined;
    await link?.disconnect();
    await this.running;
    this.firstLive?.reject(new Error('disconnected'));
    this.firstLive = undefined;
  }

  private async run(): Promise<void> {
    const { minMs, maxMs } = this.options.reconnect ?? { minMs: 1000, maxMs: 30_000 };
    let failures = 0;
    while (this.wanted) {
      let error: string;
      try {
        const info = await discoverRealtime(this.rest, this.options.baseUrl ?? '', this.options.realtime);
        this.hooks.discovered(info);
        const dropped = await this.session(info);
        failures = 0;
        error = dropped;
      } catch (err) {
        if (err instanceof Stopped) break;
        if (err instanceof ApiError && err.status === 401) {
          this.wanted = false;
          this.firstLive?.reject(err);
          this.firstLive = undefined;
          this.hooks.state({ status: 'offline', error: SIGNED_OUT });
          this.hooks.error(err);
          break;
        }
        failures++;
        error = err instanceof Error ? err.message : String(err);
      }
      if (!this.wanted) break;
      const delay = failures === 0 ? 0 : Math.min(maxMs, minMs * 2 ** (failures - 1)) * (0.75 + Math.random() / 2);
      this.hooks.state({ status: 'offline', error, ...(delay > 0 ? { retryInMs: Math.round(delay) } : {}) });
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
      const transport = this.hooks.currentTransport()!;
      this.hooks.state({ status: 'resyncing', transport });
      await this.ensureSubscribed(link, info.pubsubService, info.node);
      if (info.heartbeatNode && info.heartbeatMinutes > 0) await this.ensureSubscribed(link, info.pubsubService, info.heartbeatNode);
      await this.sync.resync('connect');
      if (!this.wanted) throw new Stopped();
      this.liveTransport = transport;
      this.hooks.state({ status: this.sync.resyncing ? 'resyncing' : 'live', transport });
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
      this.hooks.state({ status: 'connecting', transport });
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
    let state: SubscriptionState | undefined;
    // The server creates a new account's feed node as it logs in; a subscribe that overtakes that
    // creation gets item-not-found (XEP-0060 6.1.3.12) and is tried again a moment later.
    for (let attempt = 0; state === undefined; attempt++) {
      try {
        state = await link.subscribe(service, node);
      } catch (err) {
        if (!(err instanceof XmppRequestError && err.condition === 'item-not-found') || attempt >= 4) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    if (state !== 'subscribed') throw new Error(`the subscription to ${node} is ${state}`);
  }

  private onItem(raw: RawFeedItem, info: ResolvedRealtime): void {
    if (raw.node !== info.node || raw.change === undefined) return;
    try {
      this.sync.receive(parseChange(raw.change));
    } catch (err) {
      this.hooks.error(err instanceof FeedItemError ? new FeedItemError(`feed item ${raw.itemId ?? '?'}: ${err.message}`) : err);
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
