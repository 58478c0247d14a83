// XEP-0163 section 3 ("every account a pubsub service"): one engine per account, created when first
// needed, all on the one store, each with the PEP defaults (presence access, one item, last item on
// subscription and presence). Engines idle for a while are dropped; one in use never is, so two engines
// never serve the same account at once. In a cluster every engine reports the nodes its writes changed
// to one listener, and nodes changed by another process are dropped from the loaded engine
// (src/cluster/pubsub-coherence.ts).

import type { ModuleContext } from '../../core/module-context.js';
import type { PubsubStore } from '../../storage/pubsub-store.js';
import { PubsubEngine, type EngineChangeListener } from '../pubsub/engine/engine.js';
import { NotificationDelivery } from '../pubsub/notification-delivery.js';
import type { NotificationLog } from '../pubsub/notification-log.js';
import type { ServiceScope } from '../pubsub/pubsub-request.js';
import type { RosterAccess } from '../pubsub/roster-access.js';
import { SessionPresence } from '../pubsub/session-presence.js';
import type { StanzaDelivery } from '../pubsub/stanza-delivery.js';
import type { CapsCache } from './caps-cache.js';
import { PepInterest } from './pep-interest.js';

export interface PepLimits {
  maxItems: number;
  maxNodesPerUser: number;
  maxPayloadBytes: number;
}

export interface PepService {
  scope: ServiceScope;
  interest: PepInterest;
}

interface Entry extends PepService {
  busy: number;
  lastUsed: number;
}

export class PepServices {
  private readonly entries = new Map<string, Entry>();
  private readonly presence: SessionPresence;
  private changes: EngineChangeListener | undefined;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly deps: {
      store: PubsubStore;
      access: RosterAccess;
      delivery: StanzaDelivery;
      sent: NotificationLog;
      caps: CapsCache;
      limits: PepLimits;
    },
  ) {
    this.presence = new SessionPresence(ctx);
  }

  private create(account: string): Entry {
    const interest = new PepInterest(this.ctx, this.deps.caps, account);
    // XEP-0163 4.3.1: only entities that see the account's presence learn the publishing resource.
    const notifier = new NotificationDelivery(this.deps.delivery, this.deps.sent, { mayReplyTo: (bare) => interest.sharesPresence(bare) });
    const engine = new PubsubEngine({
      service: account,
      store: this.deps.store,
      access: this.deps.access,
      presence: this.presence,
      notifier,
      interest,
      ...(this.changes ? { changes: this.changes } : {}),
      options: {
        pep: true,
        maxItemsLimit: this.deps.limits.maxItems,
        maxPayloadSizeLimit: this.deps.limits.maxPayloadBytes,
        maxNodes: this.deps.limits.maxNodesPerUser,
        // The server itself (bounce processing); server administrators get no rights over personal data.
        admins: [this.ctx.domain],
      },
    });
    const scope: ServiceScope = {
      ctx: this.ctx,
      engine,
      jid: account,
      pep: true,
      notifier,
      access: this.deps.access,
      delivery: this.deps.delivery,
      moved: new Map(),
      // The engine counts the nodes of a PEP service against maxNodes itself.
      checkNodeQuota: async () => undefined,
    };
    return { scope, interest, busy: 0, lastUsed: Date.now() };
  }

  /**
   * Runs `work` with the account's service, its view of who shares presence refreshed first. The
   * account must be a local account that exists (the caller checks).
   */
  async use<T>(account: string, work: (service: PepService) => Promise<T>): Promise<T> {
    let entry = this.entries.get(account);
    if (!entry) {
      entry = this.create(account);
      this.entries.set(account, entry);
    }
    entry.busy++;
    entry.lastUsed = Date.now();
    try {
      await entry.interest.refresh();
      return await work(entry);
    } finally {
      entry.busy--;
      entry.lastUsed = Date.now();
    }
  }

  /** Every account's engine, loaded now or later, tells `listener` which nodes its writes changed. */
  reportChangesTo(listener: EngineChangeListener | undefined): void {
    this.changes = listener;
    for (const { scope } of this.entries.values()) scope.engine.reportChangesTo(listener);
  }

  /** Nodes of the account's service changed elsewhere: a loaded engine drops them; an unloaded one reads fresh anyway. */
  forget(account: string, nodes: readonly string[] | 'all'): void {
    const engine = this.entries.get(account)?.scope.engine;
    if (!engine) return;
    if (nodes === 'all') engine.forgetAllNodes();
    else for (const node of nodes) engine.forgetNode(node);
  }

  /** Accounts whose service is loaded now. */
  loaded(): string[] {
    return [...this.entries.keys()];
  }

  /** Drops the services nobody used for `idleMs`. */
  evictIdle(idleMs: number): void {
    const cutoff = Date.now() - idleMs;
    for (const [account, entry] of this.entries) if (entry.busy === 0 && entry.lastUsed < cutoff) this.entries.delete(account);
  }
}
