// Public data types of the publish-subscribe engine (XEP-0060 section 4.1 affiliations, 4.2 subscription
// states, 7.1 items; XEP-0059 result sets; XEP-0313 archive) and the services it is given: access
// decisions that need rosters (AccessPolicy), presence (PresenceView), PEP interest from entity
// capabilities (InterestView, XEP-0163 section 4 / XEP-0060 9.2) and delivery (Notifier).

import type { NodeConfig } from './node-config.js';
import type { SubscriptionOptions } from './subscription-options.js';

export type Affiliation = 'owner' | 'publisher' | 'publish-only' | 'member' | 'none' | 'outcast';
export const AFFILIATIONS: readonly Affiliation[] = ['owner', 'publisher', 'publish-only', 'member', 'none', 'outcast'];

export type SubscriptionState = 'subscribed' | 'pending' | 'unconfigured' | 'none';

export interface Subscription {
  node: string;
  /** The subscribed address, bare or full. */
  jid: string;
  subid: string;
  state: SubscriptionState;
  options: SubscriptionOptions;
}

export interface AffiliationEntry {
  node: string;
  jid: string;
  affiliation: Affiliation;
}

/** An item as the publisher hands it over: the payload is serialised XML, opaque to the engine. */
export interface PublishItem {
  id?: string;
  /** Serialised payload element; '' or undefined for an item without payload. */
  payload?: string;
  /** Namespace of the payload root, checked against pubsub#type when both are set (XEP-0060 7.1.3.5). */
  namespace?: string;
}

export interface Item {
  id: string;
  payload: string;
  /** Present when the node's pubsub#itemreply is 'publisher' (XEP-0060 7.1.2.3). */
  publisher?: string;
  /** Milliseconds since the epoch. */
  published: number;
}

export interface ArchivedItem extends Item {
  /** XEP-0313 archive id: the item's archive sequence as a string. */
  archiveId: string;
}

/** XEP-0059 request: max, and one of after/before (ids from a previous page) or index. */
export interface RsmRequest {
  max?: number;
  after?: string;
  /** '' asks for the last page. */
  before?: string;
  index?: number;
}

export interface RsmResult {
  first?: string;
  last?: string;
  /** Index of `first` within the full result set. */
  firstIndex?: number;
  count: number;
}

export interface ItemsQuery {
  /** Most recent N items (XEP-0060 6.5.7). */
  maxItems?: number;
  /** Particular items (XEP-0060 6.5.8); absent ones are skipped. */
  itemIds?: string[];
  subid?: string;
  rsm?: RsmRequest;
}

export interface ItemsPage {
  /** Newest first. */
  items: Item[];
  rsm?: RsmResult;
}

export interface ArchiveQuery {
  /** Inclusive bounds in ms. */
  start?: number;
  end?: number;
  /** XEP-0313 item ids to fetch. */
  ids?: string[];
  rsm?: RsmRequest;
}

export interface ArchivePage {
  /** Publish order, oldest first. */
  items: ArchivedItem[];
  rsm: RsmResult;
  /** True when this page reaches the end of the result set in the paging direction. */
  complete: boolean;
}

export interface NodeMetadata {
  node: string;
  config: NodeConfig;
  creator: string;
  /** Milliseconds since the epoch. */
  created: number;
  owners: string[];
  publishers: string[];
  numSubscribers: number;
}

export interface NodeListing {
  node: string;
  title: string;
}

/** Roster knowledge the engine needs for the presence and roster access models (XEP-0060 4.5). */
export interface AccessPolicy {
  /** Whether jidBare has a presence subscription to ownerBare ('from' or 'both' on the owner's roster). */
  hasPresenceSubscription(ownerBare: string, jidBare: string): Promise<boolean>;
  /** The groups jidBare is in on ownerBare's roster. */
  rosterGroupsOf(ownerBare: string, jidBare: string): Promise<string[]>;
  isLocalAccount(bare: string): boolean;
  /** Whether this entity may create nodes at a generic service (XEP-0060 8.1.1). */
  canCreateNodes(actorBare: string): boolean;
}

/** Presence knowledge for presence-based delivery, show-values and temporary subscriptions. */
export interface PresenceView {
  /** A full JID: that resource is available; a bare JID: any resource is. */
  isAvailable(jid: string): boolean;
  /** Full JIDs of the available resources of a bare JID. */
  availableResources(bare: string): string[];
  /** The presence show of an available full JID ('online' when it has none); optional. */
  showOf?(fullJid: string): 'away' | 'chat' | 'dnd' | 'online' | 'xa' | undefined;
}

/**
 * PEP implicit subscriptions (XEP-0163 section 4, XEP-0060 9.1-9.2): available resources that share
 * presence with the account (or are its own) and whose entity capabilities include '<node>+notify'.
 */
export interface InterestView {
  interestedResources(node: string): string[];
  isInterested(fullJid: string, node: string): boolean;
}
