// What every engine operation shares (XEP-0060 section 4 model; DESIGN.md section 7): the injected
// services, the options, the node cache (each node loaded once, then kept in step with the store), a
// per-node lock so that writes to one node apply in order, and the affiliation lookup that knows
// service admins and the PEP account owner (XEP-0163 section 3.2: the account owns every node).
// Each operation's committed changes are reported to an optional listener (the cluster tells the other
// processes which cached nodes to drop; src/cluster/pubsub-coherence.ts).

import { randomBytes } from 'node:crypto';
import { log } from '../../../core/log.js';
import type { PubsubStore } from '../../../storage/pubsub-store.js';
import { ChangeRecordingStore } from './change-recording-store.js';
import {
  configFromStored,
  GENERIC_NODE_DEFAULTS,
  PEP_NODE_DEFAULTS,
  type ConfigLimits,
  type NodeConfig,
} from './node-config.js';
import { NodeState } from './node-state.js';
import type { Notification, Notifier } from './notification.js';
import { optionsFromStored } from './subscription-options.js';
import type { AccessPolicy, Affiliation, InterestView, PresenceView } from './types.js';

export interface EngineOptions {
  /** The service is an account's PEP service (XEP-0163): its bare JID owns every node. */
  pep: boolean;
  /** Overrides of the node defaults (generic or PEP). */
  nodeDefaults: Partial<NodeConfig>;
  /** What max_items 'max' means, and the highest number a node may configure. */
  maxItemsLimit: number;
  maxPayloadSizeLimit: number;
  /** Subscriptions one JID may hold to one node (multi-subscribe, XEP-0060 6.1.6). */
  maxSubscriptionsPerJid: number;
  /** Nodes one service may hold. */
  maxNodes: number;
  /** Publishing to a missing node creates it (XEP-0060 7.1.4). */
  autoCreate: boolean;
  /** Creating a node without a NodeID gets a generated one (XEP-0060 8.1.1). */
  instantNodes: boolean;
  /** Bare JIDs with owner rights on every node and proxy rights (e.g. the server domain). */
  admins: string[];
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  pep: false,
  nodeDefaults: {},
  maxItemsLimit: 1000,
  maxPayloadSizeLimit: 262_144,
  maxSubscriptionsPerJid: 8,
  maxNodes: Number.POSITIVE_INFINITY,
  autoCreate: true,
  instantNodes: true,
  admins: [],
});

/** Told, after each engine operation that changed nodes, which ones (in the order first changed). */
export interface EngineChangeListener {
  changed(service: string, nodes: readonly string[]): Promise<void> | void;
}

export interface EngineDeps {
  /** The service JID: 'pubsub.example.com' or, for PEP, the account's bare JID. */
  service: string;
  store: PubsubStore;
  access: AccessPolicy;
  presence: PresenceView;
  notifier: Notifier;
  /** PEP only: entity-capabilities interest for implicit subscriptions. */
  interest?: InterestView;
  options?: Partial<EngineOptions>;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** Generator of item ids, subids and instant node ids; injectable for tests. */
  newId?: () => string;
  /** Told which nodes each write changed; the write resolves after the listener's promise. */
  changes?: EngineChangeListener;
}

export const bareOf = (jid: string): string => {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
};

export class EngineContext {
  readonly service: string;
  readonly store: PubsubStore;
  readonly access: AccessPolicy;
  readonly presence: PresenceView;
  readonly notifier: Notifier;
  readonly interest: InterestView | undefined;
  readonly options: EngineOptions;
  readonly defaults: Readonly<NodeConfig>;
  readonly limits: ConfigLimits;
  readonly now: () => number;
  readonly newId: () => string;
  /** Set after construction too: the cluster joins once the modules (and their engines) exist. */
  changes: EngineChangeListener | undefined;
  private readonly admins: ReadonlySet<string>;
  private readonly nodes = new Map<string, NodeState>();
  private readonly loading = new Map<string, Promise<NodeState | undefined>>();
  /** Per node being loaded: bumped when it is forgotten, so a load that started before cannot bring it back. */
  private readonly epochs = new Map<string, number>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(deps: EngineDeps) {
    this.service = deps.service;
    this.store = deps.store;
    this.access = deps.access;
    this.presence = deps.presence;
    this.notifier = deps.notifier;
    this.interest = deps.interest;
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
    const defaults = { ...(this.options.pep ? PEP_NODE_DEFAULTS : GENERIC_NODE_DEFAULTS), ...this.options.nodeDefaults };
    // A default above the service limit would make every node creation fail.
    if (typeof defaults.max_items === 'number' && defaults.max_items > this.options.maxItemsLimit) {
      defaults.max_items = this.options.maxItemsLimit;
    }
    this.defaults = Object.freeze(defaults);
    this.limits = { maxItemsLimit: this.options.maxItemsLimit, maxPayloadSizeLimit: this.options.maxPayloadSizeLimit };
    this.now = deps.clock ?? Date.now;
    this.newId = deps.newId ?? (() => randomBytes(12).toString('hex'));
    this.changes = deps.changes;
    this.admins = new Set(this.options.admins);
  }

  /** Service-wide owner rights: configured admins and, at a PEP service, the account itself. */
  isServiceAdmin(bare: string): boolean {
    return this.admins.has(bare) || (this.options.pep && bare === this.service);
  }

  affiliation(state: NodeState, bare: string): Affiliation {
    if (this.isServiceAdmin(bare)) return 'owner';
    return state.affiliationOf(bare) ?? 'none';
  }

  /** Bare JIDs of the owners, used for presence/roster checks and owner notifications. */
  owners(state: NodeState): string[] {
    const owners = state.withAffiliation('owner');
    if (this.options.pep && !owners.includes(this.service)) owners.push(this.service);
    return owners;
  }

  /** The node from the cache, loading it on first use; undefined when it does not exist. */
  async node(name: string): Promise<NodeState | undefined> {
    const cached = this.nodes.get(name);
    if (cached) return cached;
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => {
        this.loading.delete(name);
        this.epochs.delete(name);
      });
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<NodeState | undefined> {
    const epoch = this.epochs.get(name) ?? 0;
    const record = await this.store.getNode(this.service, name);
    if (!record) return undefined;
    const [subs, affs, count] = await Promise.all([
      this.store.listSubscriptions(this.service, name),
      this.store.listAffiliations(this.service, name),
      this.store.countItems(this.service, name),
    ]);
    const state = new NodeState(name, configFromStored(record.config, this.defaults), record.created, record.creator, count, this.now);
    for (const a of affs) state.setAffiliation(a.jid, a.affiliation);
    for (const s of subs) {
      state.putSubscription({ jid: s.jid, subid: s.subid, state: s.state, options: optionsFromStored(s.options) });
    }
    // Forgotten while loading (a change elsewhere in a cluster): what was read may predate it, so read again.
    if ((this.epochs.get(name) ?? 0) !== epoch) return this.load(name);
    const raced = this.nodes.get(name);
    if (raced) return raced;
    this.nodes.set(name, state);
    return state;
  }

  remember(state: NodeState): void {
    this.nodes.set(state.name, state);
  }

  forget(name: string): void {
    this.nodes.delete(name);
    if (this.loading.has(name)) this.epochs.set(name, (this.epochs.get(name) ?? 0) + 1);
  }

  /** Forgets every cached node and every load under way. */
  forgetAll(): void {
    for (const name of [...this.nodes.keys(), ...this.loading.keys()]) this.forget(name);
  }

  cachedNodes(): Iterable<NodeState> {
    return this.nodes.values();
  }

  /** Runs fn after every earlier exclusive call for the same node name has finished. */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(name, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(name) === tail) this.locks.delete(name);
    }
  }

  /**
   * Runs one engine operation. With a change listener, the operation sees the store through a view that
   * notes the nodes its committed writes changed, and settles only after the listener was told of them:
   * in a cluster the IQ result goes out once the other processes know. A listener failure is logged, not
   * the operation's: its writes are committed.
   */
  async operation<T>(run: (ctx: EngineContext) => Promise<T>): Promise<T> {
    const listener = this.changes;
    if (!listener) return run(this);
    const store = new ChangeRecordingStore(this.store);
    // This context (cache, locks, options) with only the store replaced, for this operation alone.
    const view = Object.create(this, { store: { value: store } }) as EngineContext;
    try {
      return await run(view);
    } finally {
      // Also after a rejection: writes committed before the failure changed the nodes all the same.
      if (store.changed.size > 0) {
        try {
          await listener.changed(this.service, [...store.changed]);
        } catch (err) {
          log.error({ err, service: this.service }, 'pubsub: the change listener failed');
        }
      }
    }
  }

  notify(notification: Notification): void {
    if (notification.recipients.length > 0) this.notifier.notify(notification);
  }
}
