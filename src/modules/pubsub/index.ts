// The publish-subscribe module (XEP-0060 at pubsub.<domain>; XEP-0313/0442 archives on its nodes;
// XEP-0050 get-pending): builds the engine on the given store, registers the service with the router
// and in the server's disco#items, sends last published items after initial presence (12.9, never at
// bind), ends temporary subscriptions on unavailable presence (12.4) and sweeps expired items.
// Exported for the composition root: pubsubModule() and the PubsubModule it returns (publishAsServer).

import type { ModuleContext, SessionEvent } from '../../core/module-context.js';
import { log } from '../../core/log.js';
import type { PubsubStore } from '../../storage/pubsub-store.js';
import { revalidateSubscriptions, watchRosterChanges } from './access-revalidation.js';
import { PubsubEngine } from './engine/engine.js';
import { PubsubErrors } from './engine/result.js';
import { NotificationDelivery } from './notification-delivery.js';
import { NotificationLog } from './notification-log.js';
import { PendingCommand } from './pending-command.js';
import { errorSpec, PubsubFailure } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { PubsubService } from './pubsub-service.js';
import { RosterAccess, type NodeCreators } from './roster-access.js';
import { ServerPublisher, type ServerNodeOptions } from './server-publisher.js';
import { SessionPresence } from './session-presence.js';
import { StanzaDelivery } from './stanza-delivery.js';

export interface PubsubModuleOptions {
  store: PubsubStore;
  /** config pubsub.max_items: the most items a node keeps, and what 'max' means. */
  maxItems: number;
  /** config pubsub.max_nodes_per_user. */
  maxNodesPerUser: number;
  /** config pubsub.max_payload_bytes. */
  maxPayloadBytes: number;
  /** config pubsub.node_creators. */
  nodeCreators: NodeCreators;
  /** config admins: service-wide owners besides the server itself. */
  admins?: readonly string[];
  /** Milliseconds between item_expire sweeps (default one minute). */
  expirySweepMs?: number;
}

/** What the rest of the server uses of the pubsub service. */
export interface PubsubModule {
  /** pubsub.<domain> */
  readonly jid: string;
  readonly engine: PubsubEngine;
  /**
   * Publishes as the server (the domain is a service admin): creates the node with `options.config`
   * and affiliations when missing, resolves with the ItemID once the item is committed.
   */
  publishAsServer(node: string, itemId: string | undefined, payloadXml: string, options?: ServerNodeOptions): Promise<string>;
  ensureNodeAsServer(node: string, options?: ServerNodeOptions): Promise<void>;
  retractAsServer(node: string, itemIds: string[], notify?: boolean): Promise<void>;
  deleteNodeAsServer(node: string, redirect?: string): Promise<void>;
}

const modules = new WeakMap<ModuleContext, PubsubModule>();

/** The pubsub module started on this host, if any (for wiring and tests). */
export function pubsubOf(ctx: ModuleContext): PubsubModule | undefined {
  return modules.get(ctx);
}

export function pubsubModule(ctx: ModuleContext, options: PubsubModuleOptions): PubsubModule {
  const jid = `pubsub.${ctx.domain}`;
  const admins = [ctx.domain, ...(options.admins ?? [])];
  const access = new RosterAccess(ctx, options.nodeCreators, admins);
  const delivery = new StanzaDelivery(ctx);
  const sent = new NotificationLog();
  const notifier = new NotificationDelivery(delivery, sent);
  const engine = new PubsubEngine({
    service: jid,
    store: options.store,
    access,
    presence: new SessionPresence(ctx),
    notifier,
    options: {
      maxItemsLimit: options.maxItems,
      maxPayloadSizeLimit: options.maxPayloadBytes,
      admins,
    },
  });

  const scope: ServiceScope = {
    ctx,
    engine,
    jid,
    pep: false,
    notifier,
    access,
    delivery,
    moved: new Map(),
    async checkNodeQuota(actorBare, node, creating) {
      if (admins.includes(actorBare)) return;
      // Publishing to an existing node creates nothing.
      if (!creating && node !== undefined && node !== '' && (await options.store.getNode(jid, node))) return;
      const owned = (await options.store.affiliationsOf(jid, actorBare)).filter((a) => a.affiliation === 'owner').length;
      if (owned >= options.maxNodesPerUser) {
        throw new PubsubFailure(errorSpec(PubsubErrors.maxNodesExceeded(`at most ${options.maxNodesPerUser} nodes per user`)));
      }
    },
  };

  const service = new PubsubService(scope, new PendingCommand(), sent);
  ctx.router.addService(service);
  ctx.disco.addItem(jid, 'Publish-Subscribe');

  // 12.9 / send_last_published_item on_sub_and_presence: after initial presence, never at bind.
  ctx.bus.on<SessionEvent>('presence/initial', async ({ session }) => {
    try {
      for (const n of await engine.lastItemsOnPresence(session.full)) notifier.notify(n);
    } catch (err) {
      log.error({ err, jid: session.full }, 'pubsub last items on presence failed');
    }
  });
  const unavailable = async ({ session }: SessionEvent) => {
    try {
      await engine.entityUnavailable(session.full);
    } catch (err) {
      log.error({ err, jid: session.full }, 'pubsub unavailable handling failed');
    }
  };
  ctx.bus.on<SessionEvent>('presence/unavailable', unavailable);
  ctx.bus.on<SessionEvent>('session-ended', unavailable);

  // A contact that lost its presence subscription or roster group loses the subscriptions relying on it.
  watchRosterChanges(ctx, async (user, contact) => {
    await revalidateSubscriptions(scope, contact);
    await revalidateSubscriptions(scope, user);
  });

  let sweeping = false;
  ctx.every(options.expirySweepMs ?? 60_000, () => {
    if (sweeping) return;
    sweeping = true;
    engine
      .expireItems()
      .catch((err: unknown) => log.error({ err }, 'pubsub item expiry failed'))
      .finally(() => (sweeping = false));
  });

  const publisher = new ServerPublisher(engine, ctx.domain);
  const api: PubsubModule = {
    jid,
    engine,
    publishAsServer: (node, itemId, payloadXml, opts) => publisher.publish(node, itemId, payloadXml, opts),
    ensureNodeAsServer: (node, opts) => publisher.ensureNode(node, opts),
    retractAsServer: (node, itemIds, notify) => publisher.retract(node, itemIds, notify),
    deleteNodeAsServer: (node, redirect) => publisher.deleteNode(node, redirect),
  };
  modules.set(ctx, api);
  return api;
}

export { ServerPublishError, type ServerNodeOptions } from './server-publisher.js';
export type { NodeCreators } from './roster-access.js';
