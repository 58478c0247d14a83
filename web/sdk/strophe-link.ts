// The XMPP link of browsers, on Strophe.js (served unbundled from its ESM build): WebSocket (RFC 7395)
// for ws(s):// URLs, BOSH (XEP-0124/0206) for http(s):// URLs, SASL OAUTHBEARER (RFC 7628) or X-OAUTH2
// with the REST token, initial presence (RFC 6121 4.2), and XEP-0060 subscriptions and event items.
// The library is passed in (`stropheLink({ Strophe, $iq, $pres })`) so this module imports nothing.

import { CHANGE_NS, JSON_NS, PUBSUB_EVENT_NS, PUBSUB_NS, type RawFeedItem } from './feed-item.js';
import { XmppRequestError, type LinkConnectOptions, type LinkHandlers, type SubscriptionState, type XmppLink, type XmppLinkFactory } from './xmpp-link.js';

/** The parts of Strophe.js 5 this link uses (its published typings do not resolve under NodeNext). */
interface StropheBuilder {
  c(name: string, attrs?: Record<string, string>): StropheBuilder;
}

interface Connection {
  connect(jid: string, pass: string, callback: (status: number, condition: string | null) => void): void;
  addHandler(handler: (stanza: Element) => boolean, ns: string | null, name: string | null): unknown;
  send(stanza: StropheBuilder): void;
  sendIQ(stanza: StropheBuilder, callback: (stanza: Element) => void, errback: (stanza: Element | null) => void, timeout: number): string;
  disconnect(reason: string): void;
  reset(): void;
}

export interface StropheLibrary {
  Strophe: {
    Connection: new (service: string, options: { mechanisms: unknown[] }) => Connection;
    SASLOAuthBearer: unknown;
    SASLXOAuth2: unknown;
    Status: Record<'CONNECTED' | 'AUTHFAIL' | 'CONNFAIL' | 'ERROR' | 'CONNTIMEOUT' | 'DISCONNECTED', number>;
    LogLevel?: { WARN: number };
    setLogLevel?(level: number): void;
  };
  $iq(attrs: Record<string, string>): StropheBuilder;
  $pres(attrs?: Record<string, string>): StropheBuilder;
}

const STANZAS_NS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** Servers that require TLS before authentication offer no token mechanism on a plain connection. */
const NO_TOKEN_MECHANISM = 'the server offers neither OAUTHBEARER nor X-OAUTH2 here (it may require TLS: use https://)';
const SUBSCRIPTION_STATES = new Set(['subscribed', 'pending', 'unconfigured', 'none']);

export function stropheLink(lib: StropheLibrary): XmppLinkFactory {
  // Strophe logs every step of every connection at debug level by default.
  if (lib.Strophe.LogLevel) lib.Strophe.setLogLevel?.(lib.Strophe.LogLevel.WARN);
  return () => new StropheLink(lib);
}

function childrenNS(parent: Element, ns: string, name: string): Element[] {
  return Array.from(parent.children).filter((c) => c.namespaceURI === ns && c.localName === name);
}

/** The items of a pubsub event notification (XEP-0060 7.1.2); retractions and the like carry none. */
export function notificationItems(message: Element): RawFeedItem[] {
  const out: RawFeedItem[] = [];
  for (const event of childrenNS(message, PUBSUB_EVENT_NS, 'event')) {
    for (const items of childrenNS(event, PUBSUB_EVENT_NS, 'items')) {
      const node = items.getAttribute('node') ?? '';
      for (const item of childrenNS(items, PUBSUB_EVENT_NS, 'item')) {
        const change = childrenNS(item, CHANGE_NS, 'change')[0];
        const json = change && childrenNS(change, JSON_NS, 'json')[0];
        out.push({
          node,
          itemId: item.getAttribute('id') ?? undefined,
          change: change ? { attr: (n) => change.getAttribute(n), json: json ? (json.textContent ?? '') : undefined } : undefined,
        });
      }
    }
  }
  return out;
}

/** The defined condition of an error answer (RFC 6120 8.3.3), or 'remote-server-timeout' without one. */
function errorCondition(stanza: Element | null): string {
  const error = stanza ? Array.from(stanza.children).find((c) => c.localName === 'error') : undefined;
  const condition = error ? Array.from(error.children).find((c) => c.namespaceURI === STANZAS_NS && c.localName !== 'text') : undefined;
  return condition?.localName ?? 'remote-server-timeout';
}

function subscriptionState(value: string | null): SubscriptionState {
  return value !== null && SUBSCRIPTION_STATES.has(value) ? (value as SubscriptionState) : 'subscribed';
}

class StropheLink implements XmppLink {
  private conn: Connection | undefined;
  private bare = '';
  private closing = false;
  /** The session is up and has not ended yet. */
  private live = false;
  private closed: (() => void) | undefined;
  /** Ends a connection attempt still under way. */
  private abandon: ((reason: string) => void) | undefined;

  constructor(private readonly lib: StropheLibrary) {}

  connect(options: LinkConnectOptions, handlers: LinkHandlers): Promise<void> {
    const { Strophe, $pres } = this.lib;
    this.bare = options.jid;
    // Only the token mechanisms: Strophe would otherwise prefer SCRAM and send the token as a password.
    const conn = new Strophe.Connection(options.url, { mechanisms: [Strophe.SASLOAuthBearer, Strophe.SASLXOAuth2] });
    this.conn = conn;
    conn.addHandler(
      (message: Element) => {
        for (const item of notificationItems(message)) handlers.item(item);
        return true;
      },
      null,
      'message',
    );
    return new Promise<void>((resolve, reject) => {
      let established = false;
      let ended = false;
      const timer = setTimeout(() => {
        if (established || ended) return;
        ended = true;
        conn.reset();
        reject(new Error(`${options.transport}: no session within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      const fail = (reason: string) => {
        if (ended) return;
        ended = true;
        this.live = false;
        clearTimeout(timer);
        if (!established) reject(new Error(`${options.transport}: ${reason}`));
        else if (!this.closing) handlers.dropped(reason);
        this.closed?.();
      };
      this.abandon = fail;
      conn.connect(options.jid, options.token, (status: number, condition: string | null) => {
        const S = Strophe.Status;
        if (status === S.CONNECTED) {
          established = true;
          this.live = true;
          clearTimeout(timer);
          conn.send($pres());
          resolve();
        } else if (status === S.AUTHFAIL) fail(`authentication failed${condition ? ` (${condition})` : ''}`);
        else if (condition === 'no-auth-mech') fail(NO_TOKEN_MECHANISM);
        else if (status === S.CONNFAIL || status === S.ERROR || status === S.CONNTIMEOUT) fail(condition ?? 'connection failed');
        else if (status === S.DISCONNECTED) fail(condition ?? 'disconnected');
      });
    });
  }

  private request(iq: StropheBuilder): Promise<Element> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new XmppRequestError('not-connected'));
    return new Promise((resolve, reject) => {
      conn.sendIQ(iq, resolve, (stanza) => reject(new XmppRequestError(errorCondition(stanza))), 15_000);
    });
  }

  async subscriptions(service: string, node: string): Promise<SubscriptionState[]> {
    const { $iq } = this.lib;
    const answer = await this.request($iq({ type: 'get', to: service }).c('pubsub', { xmlns: PUBSUB_NS }).c('subscriptions', { node }));
    const subs = Array.from(answer.getElementsByTagNameNS(PUBSUB_NS, 'subscription'));
    return subs
      .filter((s) => (s.getAttribute('node') ?? node) === node && s.getAttribute('jid') === this.bare)
      .map((s) => subscriptionState(s.getAttribute('subscription')));
  }

  async subscribe(service: string, node: string): Promise<SubscriptionState> {
    const { $iq } = this.lib;
    const answer = await this.request($iq({ type: 'set', to: service }).c('pubsub', { xmlns: PUBSUB_NS }).c('subscribe', { node, jid: this.bare }));
    // XEP-0060 6.1.2: a result without <subscription/> means subscribed.
    const sub = answer.getElementsByTagNameNS(PUBSUB_NS, 'subscription')[0];
    return sub ? subscriptionState(sub.getAttribute('subscription')) : 'subscribed';
  }

  disconnect(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.closing) return Promise.resolve();
    if (!this.live) {
      this.closing = true;
      this.abandon?.('cancelled');
      conn.reset();
      return Promise.resolve();
    }
    this.closing = true;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        conn.reset();
        resolve();
      }, 2000);
      this.closed = () => {
        clearTimeout(timer);
        resolve();
      };
      conn.disconnect('signed out');
    });
  }
}
