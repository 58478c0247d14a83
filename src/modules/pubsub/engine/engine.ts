// The publish-subscribe engine of one service (XEP-0060; XEP-0163 PEP when options.pep; XEP-0059 RSM
// and XEP-0313 MAM on nodes): every use case of XEP-0060 sections 5-8 as one method, no XML and no
// sockets. One instance serves one service address (pubsub.<domain> or an account's bare JID); all
// instances may share one store. Methods return Result values carrying the spec's error pairs; store
// failures reject the promise (the handler answers internal-server-error). Every operation reports the
// nodes its writes changed to an optional listener (in a cluster, the other processes drop them from
// their caches) and resolves after it; reads report nothing.

import { queryArchive } from './archive.js';
import { EngineContext, type EngineChangeListener, type EngineDeps } from './engine-context.js';
import type { NodeConfig } from './node-config.js';
import { configureNode, createNode, getDefaultConfig, getNodeConfig } from './node-configuration.js';
import { getNodeMetadata, listNodes } from './node-discovery.js';
import { deleteNode, purgeNode } from './node-removal.js';
import type { Notification } from './notification.js';
import {
  decidePending,
  getNodeAffiliations,
  getNodeSubscriptions,
  getPending,
  getPendingNodes,
  setNodeAffiliations,
  setNodeSubscriptions,
  type AffiliationChange,
  type SubscriptionChange,
} from './owner-management.js';
import { entityUnavailable, expireItems } from './presence-events.js';
import { publish, retract, type PublishOutcome } from './publishing.js';
import type { Result } from './result.js';
import { getItems, lastItemsOnPresence } from './retrieval.js';
import type { SubscriptionOptions } from './subscription-options.js';
import {
  getAffiliations,
  getDefaultSubscriptionOptions,
  getSubscriptionOptions,
  getSubscriptions,
  setSubscriptionOptions,
  subscribe,
  unsubscribe,
  type SubscribeOutcome,
} from './subscribing.js';
import type {
  AffiliationEntry,
  ArchivePage,
  ArchiveQuery,
  ItemsPage,
  ItemsQuery,
  NodeListing,
  NodeMetadata,
  PublishItem,
  Subscription,
} from './types.js';

/**
 * Configuration or options fields as submitted: typed values (a Partial<NodeConfig> or
 * Partial<SubscriptionOptions>) or data-form strings and string lists, 'pubsub#' prefix optional.
 */
export type RawFields = Readonly<Record<string, unknown>> | Partial<NodeConfig> | Partial<SubscriptionOptions>;

const raw = (fields: RawFields | undefined): Record<string, unknown> | undefined => fields as Record<string, unknown> | undefined;

export class PubsubEngine {
  private readonly ctx: EngineContext;

  constructor(deps: EngineDeps) {
    this.ctx = new EngineContext(deps);
  }

  get service(): string {
    return this.ctx.service;
  }

  // Cache coherence (several engines of one service on one store, e.g. the processes of a cluster).

  /** From now on, tells `listener` which nodes each write changed (replaces EngineDeps.changes). */
  reportChangesTo(listener: EngineChangeListener | undefined): void {
    this.ctx.changes = listener;
  }
  /** The node changed elsewhere: drop its cached image; the next use reads it from the store. */
  forgetNode(name: string): void {
    this.ctx.forget(name);
  }
  forgetAllNodes(): void {
    this.ctx.forgetAll();
  }

  // Entity use cases (5).

  /** Nodes the actor may see, for disco#items at the service (5.2; XEP-0163 6.2). */
  listNodes(actor: string): Promise<Result<NodeListing[]>> {
    return this.ctx.operation((ctx) => listNodes(ctx, actor));
  }
  /** Node meta-data for disco#info (5.4); invisible nodes answer item-not-found. */
  getNodeMetadata(actor: string, node: string | undefined): Promise<Result<NodeMetadata>> {
    return this.ctx.operation((ctx) => getNodeMetadata(ctx, actor, node));
  }
  /** The actor's own subscriptions (all JIDs with its bare JID), at one node or all (5.6). */
  getSubscriptions(actor: string, node?: string): Promise<Result<Subscription[]>> {
    return this.ctx.operation((ctx) => getSubscriptions(ctx, actor, node));
  }
  /** The actor's own affiliations, at one node or all (5.7). */
  getAffiliations(actor: string, node?: string): Promise<Result<AffiliationEntry[]>> {
    return this.ctx.operation((ctx) => getAffiliations(ctx, actor, node));
  }

  // Subscriber use cases (6).

  /** Subscribes `jid` (6.1); pending on authorize nodes; lastPublished is to be sent after the IQ result. */
  subscribe(actor: string, node: string | undefined, jid: string | undefined, options?: RawFields): Promise<Result<SubscribeOutcome>> {
    return this.ctx.operation((ctx) => subscribe(ctx, actor, node, jid, raw(options)));
  }
  /** Cancels one subscription of `jid` (6.2); resolves with it in state 'none'. */
  unsubscribe(actor: string, node: string | undefined, jid: string | undefined, subid?: string): Promise<Result<Subscription>> {
    return this.ctx.operation((ctx) => unsubscribe(ctx, actor, node, jid, subid));
  }
  getSubscriptionOptions(actor: string, node: string | undefined, jid: string | undefined, subid?: string): Promise<Result<Subscription>> {
    return this.ctx.operation((ctx) => getSubscriptionOptions(ctx, actor, node, jid, subid));
  }
  /** Applies a submitted options form on top of the current options (6.3.5). */
  setSubscriptionOptions(
    actor: string,
    node: string | undefined,
    jid: string | undefined,
    subid: string | undefined,
    options: RawFields,
  ): Promise<Result<Subscription>> {
    return this.ctx.operation((ctx) => setSubscriptionOptions(ctx, actor, node, jid, subid, raw(options)!));
  }
  /** Default subscription options of the service or of a node (6.4). */
  getDefaultSubscriptionOptions(node?: string): Promise<Result<SubscriptionOptions>> {
    return this.ctx.operation((ctx) => getDefaultSubscriptionOptions(ctx, node));
  }
  /** Items newest first: all, the most recent maxItems, by id, or an RSM page (6.5). */
  getItems(actor: string, node: string | undefined, query?: ItemsQuery): Promise<Result<ItemsPage>> {
    return this.ctx.operation((ctx) => getItems(ctx, actor, node, query));
  }

  // Publisher use cases (7).

  /** Publishes (7.1), auto-creating the node with publish-options as its configuration (7.1.4-5). */
  publish(actor: string, node: string | undefined, items: PublishItem[], publishOptions?: RawFields): Promise<Result<PublishOutcome>> {
    return this.ctx.operation((ctx) => publish(ctx, actor, node, items, raw(publishOptions)));
  }
  /** Deletes items (7.2); notifies when `notify` or the node's notify_retract says so. */
  retract(actor: string, node: string | undefined, itemIds: string[], notify = false): Promise<Result<{ retracted: string[] }>> {
    return this.ctx.operation((ctx) => retract(ctx, actor, node, itemIds, notify));
  }

  // Owner use cases (8).

  /** Creates a node (8.1); an undefined or empty node asks for an instant node. */
  createNode(actor: string, node: string | undefined, config?: RawFields): Promise<Result<{ node: string; config: NodeConfig }>> {
    return this.ctx.operation((ctx) => createNode(ctx, actor, node, raw(config)));
  }
  getNodeConfig(actor: string, node: string | undefined): Promise<Result<NodeConfig>> {
    return this.ctx.operation((ctx) => getNodeConfig(ctx, actor, node));
  }
  /** Applies a submitted configuration form (8.2.4); unknown fields are ignored (XEP-0004). */
  configureNode(actor: string, node: string | undefined, config: RawFields): Promise<Result<NodeConfig>> {
    return this.ctx.operation((ctx) => configureNode(ctx, actor, node, raw(config)!));
  }
  /** Default node configuration (8.3). */
  getDefaultConfig(): Result<NodeConfig> {
    return getDefaultConfig(this.ctx);
  }
  deleteNode(actor: string, node: string | undefined, redirect?: string): Promise<Result<void>> {
    return this.ctx.operation((ctx) => deleteNode(ctx, actor, node, redirect));
  }
  purgeNode(actor: string, node: string | undefined): Promise<Result<void>> {
    return this.ctx.operation((ctx) => purgeNode(ctx, actor, node));
  }
  /** Nodes whose pending subscriptions the actor may decide (8.7.2 get-pending form). */
  getPendingNodes(actor: string): Promise<Result<string[]>> {
    return this.ctx.operation((ctx) => getPendingNodes(ctx, actor));
  }
  /** Pending subscriptions of a node (8.7.4); the handler sends one approval form per entry. */
  getPending(actor: string, node: string | undefined): Promise<Result<Subscription[]>> {
    return this.ctx.operation((ctx) => getPending(ctx, actor, node));
  }
  approve(actor: string, node: string | undefined, jid: string, subid?: string): Promise<Result<Subscription>> {
    return this.ctx.operation((ctx) => decidePending(ctx, actor, node, jid, subid, true));
  }
  deny(actor: string, node: string | undefined, jid: string, subid?: string): Promise<Result<Subscription>> {
    return this.ctx.operation((ctx) => decidePending(ctx, actor, node, jid, subid, false));
  }
  /** Subscriptions in state subscribed or unconfigured (8.8.1). */
  getNodeSubscriptions(actor: string, node: string | undefined): Promise<Result<Subscription[]>> {
    return this.ctx.operation((ctx) => getNodeSubscriptions(ctx, actor, node));
  }
  /** Applies each valid change; error.rejected lists the others with their current state (8.8.2). */
  setNodeSubscriptions(actor: string, node: string | undefined, changes: SubscriptionChange[]): Promise<Result<void>> {
    return this.ctx.operation((ctx) => setNodeSubscriptions(ctx, actor, node, changes));
  }
  getNodeAffiliations(actor: string, node: string | undefined): Promise<Result<AffiliationEntry[]>> {
    return this.ctx.operation((ctx) => getNodeAffiliations(ctx, actor, node));
  }
  /** Applies each valid change; error.rejected lists the others with their current affiliation (8.9.2). */
  setNodeAffiliations(actor: string, node: string | undefined, changes: AffiliationChange[]): Promise<Result<void>> {
    return this.ctx.operation((ctx) => setNodeAffiliations(ctx, actor, node, changes));
  }

  // MAM, presence and time.

  /** XEP-0313 query on a node: items in publish order by time range and RSM over archive ids. */
  queryArchive(actor: string, node: string | undefined, query?: ArchiveQuery): Promise<Result<ArchivePage>> {
    return this.ctx.operation((ctx) => queryArchive(ctx, actor, node, query));
  }
  /**
   * Last published items for a resource that has just sent initial presence (on_sub_and_presence;
   * PEP interest). Call after the resource's initial presence is processed; send what comes back.
   */
  lastItemsOnPresence(subscriberFullJid: string): Promise<Notification[]> {
    return this.ctx.operation((ctx) => lastItemsOnPresence(ctx, subscriberFullJid));
  }
  /** A resource became unavailable: temporary subscriptions end, purge_offline nodes are purged. */
  entityUnavailable(fullJid: string): Promise<void> {
    return this.ctx.operation((ctx) => entityUnavailable(ctx, fullJid));
  }
  /** Removes expired items (item_expire); call periodically. */
  expireItems(): Promise<number> {
    return this.ctx.operation((ctx) => expireItems(ctx));
  }
}

export type { EngineChangeListener, EngineDeps, EngineOptions } from './engine-context.js';
export type { PublishOutcome } from './publishing.js';
export type { SubscribeOutcome } from './subscribing.js';
export type { AffiliationChange, SubscriptionChange } from './owner-management.js';
