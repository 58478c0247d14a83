// The in-memory image of one node (XEP-0060 section 4: configuration, affiliations, subscriptions),
// loaded once from the store and then kept in step with every write. Subscriptions are indexed by JID,
// and the deliverable set (subscribed, deliver=true, lease not over; XEP-0060 4.2 and 6.3) is kept per
// JID: a subscription change recomputes that JID's target only, and a publish walks a cached array of
// targets, rebuilt (one array of references) only after a change (DESIGN.md section 7).

import type { NodeConfig } from './node-config.js';
import { leaseEnd, SHOW_VALUES, type ShowValue, type SubscriptionOptions } from './subscription-options.js';
import type { StoredAffiliation, StoredSubscriptionState } from '../../../storage/pubsub-store.js';
import type { Subscription } from './types.js';

export interface LiveSubscription {
  jid: string;
  subid: string;
  state: StoredSubscriptionState;
  options: SubscriptionOptions;
}

/** One JID that notifications go to, with the subscriptions that matched. */
export interface DeliveryTarget {
  jid: string;
  subids: string[];
  /** Presence shows the JID wants notifications for; undefined means any. */
  shows?: ReadonlySet<ShowValue>;
}

export class NodeState {
  readonly affiliations = new Map<string, StoredAffiliation>();
  /** Subscribed JID → subid → subscription. */
  readonly subscriptions = new Map<string, Map<string, LiveSubscription>>();
  /** The deliverable target of each JID that has one; each valid until its earliest lease end. */
  private readonly targets = new Map<string, { target: DeliveryTarget; validUntil: number }>();
  private targetList: DeliveryTarget[] | undefined;
  /** Earliest lease end among targets: past it, the targets with leases are recomputed. */
  private nextExpiry = Number.POSITIVE_INFINITY;

  constructor(
    readonly name: string,
    public config: NodeConfig,
    readonly created: number,
    readonly creator: string,
    /** Items currently stored (kept exact by every publish, retract, purge and eviction). */
    public itemCount: number,
    /** The engine's clock, for subscription leases. */
    private readonly clock: () => number,
  ) {}

  subscriptionsOf(jid: string): LiveSubscription[] {
    const subs = this.subscriptions.get(jid);
    return subs ? [...subs.values()] : [];
  }

  putSubscription(sub: LiveSubscription): void {
    let subs = this.subscriptions.get(sub.jid);
    if (!subs) {
      subs = new Map();
      this.subscriptions.set(sub.jid, subs);
    }
    subs.set(sub.subid, sub);
    this.refreshTarget(sub.jid, this.clock());
  }

  removeSubscription(jid: string, subid: string): LiveSubscription | undefined {
    const subs = this.subscriptions.get(jid);
    const sub = subs?.get(subid);
    if (!subs || !sub) return undefined;
    subs.delete(subid);
    if (subs.size === 0) this.subscriptions.delete(jid);
    this.refreshTarget(jid, this.clock());
    return sub;
  }

  *allSubscriptions(): Iterable<LiveSubscription> {
    for (const subs of this.subscriptions.values()) yield* subs.values();
  }

  /** Subscriptions of every JID whose bare part is `bare`. */
  subscriptionsOfBare(bare: string): LiveSubscription[] {
    const out: LiveSubscription[] = [];
    for (const [jid, subs] of this.subscriptions) {
      if (jid === bare || (jid.startsWith(bare) && jid.charCodeAt(bare.length) === 47 /* '/' */)) {
        out.push(...subs.values());
      }
    }
    return out;
  }

  affiliationOf(bare: string): StoredAffiliation | undefined {
    return this.affiliations.get(bare);
  }

  setAffiliation(bare: string, affiliation: StoredAffiliation | 'none'): void {
    if (affiliation === 'none') this.affiliations.delete(bare);
    else this.affiliations.set(bare, affiliation);
  }

  withAffiliation(affiliation: StoredAffiliation): string[] {
    const out: string[] = [];
    for (const [jid, aff] of this.affiliations) if (aff === affiliation) out.push(jid);
    return out;
  }

  /** Distinct JIDs with at least one subscription in state subscribed. */
  numSubscribers(): number {
    let n = 0;
    for (const subs of this.subscriptions.values()) {
      for (const sub of subs.values()) {
        if (sub.state === 'subscribed') {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Targets for item notifications before presence filtering (do not modify the array). */
  deliveryTargets(now: number): DeliveryTarget[] {
    if (now >= this.nextExpiry) {
      for (const [jid, entry] of this.targets) if (now >= entry.validUntil) this.refreshTarget(jid, now);
      this.nextExpiry = Number.POSITIVE_INFINITY;
      for (const entry of this.targets.values()) this.nextExpiry = Math.min(this.nextExpiry, entry.validUntil);
    }
    if (!this.targetList) this.targetList = [...this.targets.values()].map((e) => e.target);
    return this.targetList;
  }

  private refreshTarget(jid: string, now: number): void {
    this.targetList = undefined;
    let subids: string[] | undefined;
    let shows: Set<ShowValue> | undefined;
    let anyShow = false;
    let validUntil = Number.POSITIVE_INFINITY;
    for (const sub of this.subscriptions.get(jid)?.values() ?? []) {
      if (sub.state !== 'subscribed' || !sub.options.deliver) continue;
      const end = leaseEnd(sub.options);
      if (end !== undefined) {
        if (end <= now) continue;
        validUntil = Math.min(validUntil, end);
      }
      (subids ??= []).push(sub.subid);
      const wanted = sub.options['show-values'];
      if (wanted.length >= SHOW_VALUES.length) anyShow = true;
      else for (const s of wanted) (shows ??= new Set()).add(s);
    }
    if (!subids) {
      this.targets.delete(jid);
      return;
    }
    const target: DeliveryTarget = anyShow ? { jid, subids } : { jid, subids, shows: shows ?? new Set() };
    this.targets.set(jid, { target, validUntil });
    this.nextExpiry = Math.min(this.nextExpiry, validUntil);
  }

  toSubscription(sub: LiveSubscription): Subscription {
    return { node: this.name, jid: sub.jid, subid: sub.subid, state: sub.state, options: sub.options };
  }
}
