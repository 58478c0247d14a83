// Rows of the pubsub store's tables (XEP-0060 section 12.1 data model) and their mapping to and from the
// records of storage/pubsub-store.ts. Shared by the SQLite and PostgreSQL stores because both tables have
// the same columns and both keep node configs and subscription options as JSON text, opaque to the store:
// one mapping means a node written by one backend reads back identically from the other.

import type { PubsubNodeRecord, PubsubSubscriptionRecord, StoredSubscriptionState } from './pubsub-store.js';

export interface NodeRow {
  service: string;
  node: string;
  config: string;
  created: number;
  creator: string;
}

export interface SubscriptionRow {
  service: string;
  node: string;
  jid: string;
  subid: string;
  state: string;
  options: string;
}

/** Items need no mapping: these columns are the fields of PubsubItemRecord. */
export const ITEM_COLUMNS = 'service, node, id, payload, publisher, published, seq';

export const nodeFromRow = (r: NodeRow): PubsubNodeRecord => ({
  service: r.service,
  node: r.node,
  config: JSON.parse(r.config) as Record<string, unknown>,
  created: r.created,
  creator: r.creator,
});

export const subscriptionFromRow = (r: SubscriptionRow): PubsubSubscriptionRecord => ({
  service: r.service,
  node: r.node,
  jid: r.jid,
  subid: r.subid,
  state: r.state as StoredSubscriptionState,
  options: JSON.parse(r.options) as Record<string, unknown>,
});

/** Values for a node row, in the order service, node, config, created, creator. */
export function nodeRowValues(record: PubsubNodeRecord): unknown[] {
  return [record.service, record.node, JSON.stringify(record.config), record.created, record.creator];
}

/**
 * Values for a subscription row, in the order service, node, jid, subid, bare, state, options. The bare
 * column indexes a subscriber's subscriptions whatever resource they subscribed with.
 */
export function subscriptionRowValues(r: PubsubSubscriptionRecord): unknown[] {
  return [r.service, r.node, r.jid, r.subid, r.jid.split('/')[0], r.state, JSON.stringify(r.options)];
}
