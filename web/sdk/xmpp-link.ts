// What the SDK needs from an XMPP client library, so that the sync rules stay independent of it: a
// session authenticated with the REST token (SASL OAUTHBEARER, RFC 7628, or X-OAUTH2), initial presence
// (RFC 6121 section 4.2, so notifications to the bare JID reach this session), the pubsub requests of
// XEP-0060 sections 5.6 (subscriptions) and 6.1 (subscribe), and the items of event notifications
// (section 7.1.2). strophe-link.ts implements it with Strophe.js in browsers, stanza-link.ts with
// StanzaJS in Node.

import type { RawFeedItem } from './feed-item.js';
import type { Transport } from './types.js';

export interface LinkConnectOptions {
  /** The account's bare JID, `username@domain`. */
  jid: string;
  token: string;
  transport: Transport;
  /** ws(s):// for WebSocket (RFC 7395), http(s):// for BOSH (XEP-0206). */
  url: string;
  /** Give up on an attempt after this long. */
  timeoutMs: number;
}

export interface LinkHandlers {
  /** Every item of every pubsub event notification, in the order the stream delivered them. */
  item(item: RawFeedItem): void;
  /** The session ended without disconnect() being called; `reason` says why when known. */
  dropped(reason: string): void;
}

export type SubscriptionState = 'subscribed' | 'pending' | 'unconfigured' | 'none';

export interface XmppLink {
  /** Resolves once the session is bound and initial presence sent; rejects when it cannot be. */
  connect(options: LinkConnectOptions, handlers: LinkHandlers): Promise<void>;
  /** This session's subscription states on `node` for the account's bare JID (XEP-0060 5.6). */
  subscriptions(service: string, node: string): Promise<SubscriptionState[]>;
  /** Subscribes the account's bare JID to `node` (XEP-0060 6.1); resolves with the resulting state. */
  subscribe(service: string, node: string): Promise<SubscriptionState>;
  /** Ends the session cleanly; no `dropped` follows. */
  disconnect(): Promise<void>;
}

/** Makes a fresh link for each connection attempt. */
export type XmppLinkFactory = () => XmppLink;

/** An XMPP error answer to a request of the link (RFC 6120 section 8.3). */
export class XmppRequestError extends Error {
  constructor(
    readonly condition: string,
    message?: string,
  ) {
    super(message ?? condition);
    this.name = 'XmppRequestError';
  }
}
