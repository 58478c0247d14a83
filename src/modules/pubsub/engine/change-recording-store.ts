// What one engine operation changed (XEP-0060 section 4 model: a node's configuration, affiliations,
// subscriptions and items), for the engine's change listener (engine-context.ts). Every store write an
// operation makes goes through this view of the store, which notes the node once the write committed and
// did change something (a delete that found nothing, an expiry sweep that removed nothing, are no
// change). Implementing the whole PubsubStore interface explicitly means a new store method cannot be
// added without saying here whether it writes.

import type {
  ItemQuery,
  ItemRange,
  NewPubsubItem,
  PubsubAffiliationRecord,
  PubsubItemRecord,
  PubsubNodeRecord,
  PubsubStore,
  PubsubSubscriptionRecord,
  PutItemResult,
  StoredAffiliation,
} from '../../../storage/pubsub-store.js';

export class ChangeRecordingStore implements PubsubStore {
  /** Nodes a committed write of this operation changed, in the order first changed. */
  readonly changed = new Set<string>();

  constructor(private readonly store: PubsubStore) {}

  private async note<T>(node: string, write: Promise<T>, changedAnything: (result: T) => boolean = () => true): Promise<T> {
    const result = await write;
    if (changedAnything(result)) this.changed.add(node);
    return result;
  }

  // Writes.

  createNode(record: PubsubNodeRecord, owner: string): Promise<boolean> {
    return this.note(record.node, this.store.createNode(record, owner), (created) => created);
  }
  updateNodeConfig(service: string, node: string, config: Record<string, unknown>): Promise<void> {
    return this.note(node, this.store.updateNodeConfig(service, node, config));
  }
  deleteNode(service: string, node: string): Promise<boolean> {
    return this.note(node, this.store.deleteNode(service, node), (deleted) => deleted);
  }
  putItem(item: NewPubsubItem, keepNewest?: number): Promise<PutItemResult> {
    return this.note(item.node, this.store.putItem(item, keepNewest));
  }
  deleteItems(service: string, node: string, ids: string[]): Promise<string[]> {
    return this.note(node, this.store.deleteItems(service, node, ids), (gone) => gone.length > 0);
  }
  deleteItemsPublishedBefore(service: string, node: string, cutoff: number): Promise<string[]> {
    return this.note(node, this.store.deleteItemsPublishedBefore(service, node, cutoff), (gone) => gone.length > 0);
  }
  trimItems(service: string, node: string, keepNewest: number): Promise<string[]> {
    return this.note(node, this.store.trimItems(service, node, keepNewest), (gone) => gone.length > 0);
  }
  purgeItems(service: string, node: string): Promise<number> {
    return this.note(node, this.store.purgeItems(service, node), (gone) => gone > 0);
  }
  putSubscription(record: PubsubSubscriptionRecord): Promise<void> {
    return this.note(record.node, this.store.putSubscription(record));
  }
  deleteSubscription(service: string, node: string, jid: string, subid: string): Promise<boolean> {
    return this.note(node, this.store.deleteSubscription(service, node, jid, subid), (deleted) => deleted);
  }
  setAffiliation(service: string, node: string, jid: string, affiliation: StoredAffiliation | 'none'): Promise<void> {
    return this.note(node, this.store.setAffiliation(service, node, jid, affiliation));
  }

  // Reads.

  getNode(service: string, node: string): Promise<PubsubNodeRecord | undefined> {
    return this.store.getNode(service, node);
  }
  listNodes(service: string): Promise<PubsubNodeRecord[]> {
    return this.store.listNodes(service);
  }
  countNodes(service: string): Promise<number> {
    return this.store.countNodes(service);
  }
  getItems(service: string, node: string, ids: string[]): Promise<PubsubItemRecord[]> {
    return this.store.getItems(service, node, ids);
  }
  queryItems(service: string, node: string, query: ItemQuery): Promise<PubsubItemRecord[]> {
    return this.store.queryItems(service, node, query);
  }
  countItems(service: string, node: string, range?: ItemRange): Promise<number> {
    return this.store.countItems(service, node, range);
  }
  listSubscriptions(service: string, node: string): Promise<PubsubSubscriptionRecord[]> {
    return this.store.listSubscriptions(service, node);
  }
  subscriptionsOf(service: string, bare: string): Promise<PubsubSubscriptionRecord[]> {
    return this.store.subscriptionsOf(service, bare);
  }
  listAffiliations(service: string, node: string): Promise<PubsubAffiliationRecord[]> {
    return this.store.listAffiliations(service, node);
  }
  affiliationsOf(service: string, bare: string): Promise<PubsubAffiliationRecord[]> {
    return this.store.affiliationsOf(service, bare);
  }
}
