// Event notifications as the engine describes them (XEP-0060 7.1.2 items, 7.2.2.1 retract, 8.2.5.3
// configuration, 8.4.2 delete, 8.5.2 purge, 8.6 authorization requests, 12.11 subscription state
// changes; 12.14 SHIM subids). The engine computes the recipients; the handler serialises each
// notification once and splices `to` per recipient (DESIGN.md section 7).

import type { NodeConfig } from './node-config.js';
import type { SubscriptionState } from './types.js';

export type NotificationKind =
  | 'items'
  | 'retract'
  | 'purge'
  | 'delete'
  | 'configuration'
  | 'subscription'
  /** A pending subscription for the owners to approve: the pubsub#subscribe_authorization form. */
  | 'authorization';

export interface NotifiedItem {
  id: string;
  /** Absent when the node does not deliver payloads. */
  payload?: string;
  /** Present when pubsub#itemreply is 'publisher'. */
  publisher?: string;
  /** Milliseconds since the epoch; with `delayed`, the urn:xmpp:delay stamp. */
  published: number;
}

export interface Recipient {
  jid: string;
  /** The recipient's subscriptions that matched; several mean SHIM SubID headers. Empty for implicit PEP. */
  subids: string[];
}

export interface Notification {
  kind: NotificationKind;
  service: string;
  node: string;
  /** kind 'items': the published items; empty for a transient notification-only node. */
  items?: NotifiedItem[];
  /** A last published item sent late (on subscription or presence): stamp it as delayed (XEP-0203). */
  delayed?: boolean;
  /** Full JID of the entity that published, for the XEP-0163 replyto address. */
  publisherFullJid?: string;
  /** kind 'retract'. */
  retracted?: string[];
  /** kind 'delete'. */
  redirect?: string;
  /** kind 'configuration' when the node delivers payloads. */
  config?: NodeConfig;
  /** kinds 'subscription' and 'authorization'. */
  subscription?: { jid: string; state: SubscriptionState; subid?: string };
  notificationType: 'headline' | 'normal';
  recipients: Recipient[];
}

export interface Notifier {
  notify(notification: Notification): void;
}
