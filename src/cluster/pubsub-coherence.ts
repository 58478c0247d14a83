// XEP-0060 in a cluster: every process's pubsub engine keeps nodes in memory (configuration,
// affiliations, subscriptions, item count; src/modules/pubsub/engine/node-state.ts), loaded once from
// the shared store. A change committed by one process must not leave the others delivering from a stale
// image, so each engine write is announced on the bus and the other processes drop that node from their
// cache; their next use reloads it from the store (a load the change overtakes is read again). The
// write resolves only once Redis has sent the change to the others. Notifications travel separately:
// one template per process (remote-sessions.ts sendTemplate).

import type { PubsubEngine } from '../modules/pubsub/engine/engine.js';
import { log } from '../core/log.js';
import type { ClusterBus } from './cluster-bus.js';

/** The engine's node cache (engine-context.ts); reached here until the engine exposes it (see docs/CLUSTER.md). */
interface NodeCache {
  forget(name: string): void;
  cachedNodes(): Iterable<{ name: string }>;
}

/** Engine methods that change a node, with the node argument at index 1. */
const NODE_WRITES = [
  'subscribe', 'unsubscribe', 'publish', 'retract', 'createNode', 'configureNode', 'deleteNode', 'purgeNode',
  'approve', 'deny', 'setNodeSubscriptions', 'setNodeAffiliations',
] as const;
/** Engine methods that may change any node. */
const WIDE_WRITES = ['entityUnavailable', 'expireItems'] as const;

export function keepPubsubCoherent(bus: ClusterBus, engine: PubsubEngine): void {
  const cache = (engine as unknown as { ctx: NodeCache }).ctx;
  const service = engine.service;
  // The write's caller (an IQ result) waits until the others were sent the change: a client told
  // "subscribed" by one process and publishing through another is then seen by the second.
  const announce = async (node: string | undefined) => {
    if (bus.broadcast({ t: 'pubsub-changed', service, node })) await bus.published();
  };
  const patched = engine as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of NODE_WRITES) {
    const original = patched[name]!.bind(engine);
    patched[name] = async (...args: unknown[]) => {
      const result = await original(...args);
      const created = (result as { ok?: boolean; value?: { node?: string } }).value?.node;
      await announce(typeof args[1] === 'string' ? args[1] : created);
      return result;
    };
  }
  for (const name of WIDE_WRITES) {
    const original = patched[name]!.bind(engine);
    patched[name] = async (...args: unknown[]) => {
      const result = await original(...args);
      // expireItems resolves with how many items it removed: nothing removed, nothing to announce.
      if (result !== 0) await announce(undefined);
      return result;
    };
  }
  bus.on('pubsub-changed', (m) => {
    if (m.service !== service) return;
    if (typeof m.node === 'string') cache.forget(m.node);
    else for (const name of [...cache.cachedNodes()].map((n) => n.name)) cache.forget(name);
    log.debug({ service, node: m.node }, 'cluster: pubsub node changed elsewhere; cache dropped');
  });
}
