// Persistence of publish-subscribe services (XEP-0060 section 12.1 data model; XEP-0163 PEP services;
// XEP-0313 archive order). One store holds every service (pubsub.<domain> and each account's PEP
// service), keyed by service JID. Rows are small and independent so that a subscribe writes one
// subscription row and a publish writes one item row (DESIGN.md section 7): nothing rewrites a whole
// node record. Node configuration is opaque JSON here; the engine owns its meaning.

/** Stored affiliations; "none" is the absence of a row. */
export type StoredAffiliation = 'owner' | 'publisher' | 'publish-only' | 'member' | 'outcast';
/** Stored subscription states; "none" is the absence of a row. */
export type StoredSubscriptionState = 'subscribed' | 'pending' | 'unconfigured';

export interface PubsubNodeRecord {
  service: string;
  node: string;
  config: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  created: number;
  /** Bare JID of the entity that created the node. */
  creator: string;
}

export interface PubsubItemRecord {
  service: string;
  node: string;
  id: string;
  /** Serialised XML of the payload, opaque to the store ('' for an empty item). */
  payload: string;
  /** Bare JID of the publisher. */
  publisher: string;
  /** Milliseconds since the epoch. */
  published: number;
  /** Archive sequence: strictly increasing across the whole store; a republished id gets a new one. */
  seq: number;
}

export type NewPubsubItem = Omit<PubsubItemRecord, 'seq'>;

export interface PubsubSubscriptionRecord {
  service: string;
  node: string;
  /** The subscribed address, bare or full, as given at subscribe time. */
  jid: string;
  subid: string;
  state: StoredSubscriptionState;
  options: Record<string, unknown>;
}

export interface PubsubAffiliationRecord {
  service: string;
  node: string;
  /** Bare JID. */
  jid: string;
  affiliation: StoredAffiliation;
}

/** Filters on items of one node; every bound is optional and exclusive for seq, inclusive for time. */
export interface ItemRange {
  afterSeq?: number;
  beforeSeq?: number;
  publishedFrom?: number;
  publishedTo?: number;
}

export interface ItemQuery extends ItemRange {
  order: 'newest-first' | 'oldest-first';
  offset?: number;
  limit?: number;
}

export interface PutItemResult {
  seq: number;
  /** An item with the same id existed and was replaced. */
  replaced: boolean;
  /** Ids removed because the node kept more than keepNewest items, oldest first. */
  evicted: string[];
}

export interface PubsubStore {
  /** Creates the node and makes `owner` its owner in one transaction; false when the node exists. */
  createNode(record: PubsubNodeRecord, owner: string): Promise<boolean>;
  getNode(service: string, node: string): Promise<PubsubNodeRecord | undefined>;
  listNodes(service: string): Promise<PubsubNodeRecord[]>;
  countNodes(service: string): Promise<number>;
  updateNodeConfig(service: string, node: string, config: Record<string, unknown>): Promise<void>;
  /** Removes the node with all its items, subscriptions and affiliations; false when there was none. */
  deleteNode(service: string, node: string): Promise<boolean>;

  /**
   * Inserts the item (replacing one with the same id) and, when keepNewest is given, removes the
   * oldest items beyond that count, all in one transaction. Resolves once committed.
   */
  putItem(item: NewPubsubItem, keepNewest?: number): Promise<PutItemResult>;
  /** The items with these ids that exist, in no particular order. */
  getItems(service: string, node: string, ids: string[]): Promise<PubsubItemRecord[]>;
  queryItems(service: string, node: string, query: ItemQuery): Promise<PubsubItemRecord[]>;
  countItems(service: string, node: string, range?: ItemRange): Promise<number>;
  /** Removes these items; resolves with the ids that existed. */
  deleteItems(service: string, node: string, ids: string[]): Promise<string[]>;
  /** Removes every item published before `cutoff` (ms); resolves with their ids. */
  deleteItemsPublishedBefore(service: string, node: string, cutoff: number): Promise<string[]>;
  /** Removes the oldest items so that at most keepNewest remain; resolves with their ids. */
  trimItems(service: string, node: string, keepNewest: number): Promise<string[]>;
  /** Removes every item of the node; resolves with how many there were. */
  purgeItems(service: string, node: string): Promise<number>;

  listSubscriptions(service: string, node: string): Promise<PubsubSubscriptionRecord[]>;
  /** Subscriptions at this service whose JID is `bare` or one of its full JIDs (indexed). */
  subscriptionsOf(service: string, bare: string): Promise<PubsubSubscriptionRecord[]>;
  /** Inserts or replaces the subscription identified by (service, node, jid, subid). */
  putSubscription(record: PubsubSubscriptionRecord): Promise<void>;
  deleteSubscription(service: string, node: string, jid: string, subid: string): Promise<boolean>;

  listAffiliations(service: string, node: string): Promise<PubsubAffiliationRecord[]>;
  /** Affiliations of this bare JID at every node of the service (indexed). */
  affiliationsOf(service: string, bare: string): Promise<PubsubAffiliationRecord[]>;
  /** Sets or, with 'none', removes an affiliation. */
  setAffiliation(service: string, node: string, jid: string, affiliation: StoredAffiliation | 'none'): Promise<void>;
}
