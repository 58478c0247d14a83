// In-memory PubsubStore (XEP-0060 section 12.1 data model) for engine unit tests and ephemeral
// deployments. It keeps the same contract as the SQLite store (the shared store test suite runs against
// both), including one archive sequence across the whole store.

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
} from '../pubsub-store.js';

interface NodeData {
  record: PubsubNodeRecord;
  /** Items by id; a Map keeps insertion order, and a replaced item is re-inserted, so this is seq order. */
  items: Map<string, PubsubItemRecord>;
  subscriptions: Map<string, PubsubSubscriptionRecord>;
  affiliations: Map<string, PubsubAffiliationRecord>;
}

const bareOf = (jid: string): string => jid.split('/')[0]!;
const subKey = (jid: string, subid: string): string => `${jid}\u0000${subid}`;
const copy = <T>(value: T): T => structuredClone(value);

function inRange(item: PubsubItemRecord, range: ItemRange): boolean {
  if (range.afterSeq !== undefined && item.seq <= range.afterSeq) return false;
  if (range.beforeSeq !== undefined && item.seq >= range.beforeSeq) return false;
  if (range.publishedFrom !== undefined && item.published < range.publishedFrom) return false;
  if (range.publishedTo !== undefined && item.published > range.publishedTo) return false;
  return true;
}

export class MemoryPubsubStore implements PubsubStore {
  private readonly services = new Map<string, Map<string, NodeData>>();
  private seq = 0;

  private nodesOf(service: string): Map<string, NodeData> {
    let nodes = this.services.get(service);
    if (!nodes) {
      nodes = new Map();
      this.services.set(service, nodes);
    }
    return nodes;
  }

  private data(service: string, node: string): NodeData | undefined {
    return this.services.get(service)?.get(node);
  }

  async createNode(record: PubsubNodeRecord, owner: string): Promise<boolean> {
    const nodes = this.nodesOf(record.service);
    if (nodes.has(record.node)) return false;
    const data: NodeData = { record: copy(record), items: new Map(), subscriptions: new Map(), affiliations: new Map() };
    data.affiliations.set(owner, { service: record.service, node: record.node, jid: owner, affiliation: 'owner' });
    nodes.set(record.node, data);
    return true;
  }

  async getNode(service: string, node: string): Promise<PubsubNodeRecord | undefined> {
    const data = this.data(service, node);
    return data ? copy(data.record) : undefined;
  }

  async listNodes(service: string): Promise<PubsubNodeRecord[]> {
    return [...(this.services.get(service)?.values() ?? [])].map((d) => copy(d.record));
  }

  async countNodes(service: string): Promise<number> {
    return this.services.get(service)?.size ?? 0;
  }

  async updateNodeConfig(service: string, node: string, config: Record<string, unknown>): Promise<void> {
    const data = this.data(service, node);
    if (data) data.record.config = copy(config);
  }

  async deleteNode(service: string, node: string): Promise<boolean> {
    return this.services.get(service)?.delete(node) ?? false;
  }

  async putItem(item: NewPubsubItem, keepNewest?: number): Promise<PutItemResult> {
    const data = this.data(item.service, item.node);
    if (!data) throw new Error(`pubsub node ${item.service} ${item.node} does not exist`);
    const replaced = data.items.delete(item.id);
    const seq = ++this.seq;
    data.items.set(item.id, { ...item, seq });
    const evicted = keepNewest === undefined ? [] : this.trim(data, keepNewest);
    return { seq, replaced, evicted };
  }

  private trim(data: NodeData, keepNewest: number): string[] {
    const evicted: string[] = [];
    for (const id of data.items.keys()) {
      if (data.items.size - evicted.length <= keepNewest) break;
      evicted.push(id);
    }
    for (const id of evicted) data.items.delete(id);
    return evicted;
  }

  async getItems(service: string, node: string, ids: string[]): Promise<PubsubItemRecord[]> {
    const data = this.data(service, node);
    if (!data) return [];
    const found: PubsubItemRecord[] = [];
    for (const id of new Set(ids)) {
      const item = data.items.get(id);
      if (item) found.push({ ...item });
    }
    return found;
  }

  async queryItems(service: string, node: string, query: ItemQuery): Promise<PubsubItemRecord[]> {
    const data = this.data(service, node);
    if (!data) return [];
    const all = [...data.items.values()].filter((i) => inRange(i, query));
    if (query.order === 'newest-first') all.reverse();
    const start = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : start + query.limit;
    return all.slice(start, end).map((i) => ({ ...i }));
  }

  async countItems(service: string, node: string, range: ItemRange = {}): Promise<number> {
    const data = this.data(service, node);
    if (!data) return 0;
    let n = 0;
    for (const item of data.items.values()) if (inRange(item, range)) n++;
    return n;
  }

  async deleteItems(service: string, node: string, ids: string[]): Promise<string[]> {
    const data = this.data(service, node);
    if (!data) return [];
    return [...new Set(ids)].filter((id) => data.items.delete(id));
  }

  async deleteItemsPublishedBefore(service: string, node: string, cutoff: number): Promise<string[]> {
    const data = this.data(service, node);
    if (!data) return [];
    const gone = [...data.items.values()].filter((i) => i.published < cutoff).map((i) => i.id);
    for (const id of gone) data.items.delete(id);
    return gone;
  }

  async trimItems(service: string, node: string, keepNewest: number): Promise<string[]> {
    const data = this.data(service, node);
    return data ? this.trim(data, keepNewest) : [];
  }

  async purgeItems(service: string, node: string): Promise<number> {
    const data = this.data(service, node);
    if (!data) return 0;
    const n = data.items.size;
    data.items.clear();
    return n;
  }

  async listSubscriptions(service: string, node: string): Promise<PubsubSubscriptionRecord[]> {
    return [...(this.data(service, node)?.subscriptions.values() ?? [])].map(copy);
  }

  async subscriptionsOf(service: string, bare: string): Promise<PubsubSubscriptionRecord[]> {
    const out: PubsubSubscriptionRecord[] = [];
    for (const data of this.services.get(service)?.values() ?? []) {
      for (const sub of data.subscriptions.values()) if (bareOf(sub.jid) === bare) out.push(copy(sub));
    }
    return out;
  }

  async putSubscription(record: PubsubSubscriptionRecord): Promise<void> {
    const data = this.data(record.service, record.node);
    if (!data) throw new Error(`pubsub node ${record.service} ${record.node} does not exist`);
    data.subscriptions.set(subKey(record.jid, record.subid), copy(record));
  }

  async deleteSubscription(service: string, node: string, jid: string, subid: string): Promise<boolean> {
    return this.data(service, node)?.subscriptions.delete(subKey(jid, subid)) ?? false;
  }

  async listAffiliations(service: string, node: string): Promise<PubsubAffiliationRecord[]> {
    return [...(this.data(service, node)?.affiliations.values() ?? [])].map(copy);
  }

  async affiliationsOf(service: string, bare: string): Promise<PubsubAffiliationRecord[]> {
    const out: PubsubAffiliationRecord[] = [];
    for (const data of this.services.get(service)?.values() ?? []) {
      const aff = data.affiliations.get(bare);
      if (aff) out.push(copy(aff));
    }
    return out;
  }

  async setAffiliation(
    service: string,
    node: string,
    jid: string,
    affiliation: StoredAffiliation | 'none',
  ): Promise<void> {
    const data = this.data(service, node);
    if (!data) throw new Error(`pubsub node ${service} ${node} does not exist`);
    if (affiliation === 'none') data.affiliations.delete(jid);
    else data.affiliations.set(jid, { service, node, jid, affiliation });
  }
}
