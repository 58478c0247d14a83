// XEP-0060 and XEP-0163 in a cluster: every process's pubsub engines (pubsub.<domain>, and one PEP
// service per loaded account) keep nodes in memory (configuration, affiliations, subscriptions, item
// count; src/modules/pubsub/engine/node-state.ts), loaded from the shared store. A change committed by one
// process must not leave the others deciding from a stale image, so each engine reports the nodes its
// writes changed (EngineChangeListener), this process announces them on the bus, and the other processes
// drop those nodes from the engine of that service, if they have it loaded; their next use reloads them
// from the store (a load the change overtakes is read again). The write resolves only once Redis has sent
// the change to the others. Notifications travel separately: one template per process
// (remote-sessions.ts sendTemplate).
//
// Message: { t: 'pubsub-changed', service, nodes: string[] }. A message without `nodes` (from a process
// that does not know which nodes changed) drops every node of the service: with `node`, just that one.

import type { EngineChangeListener, PubsubEngine } from '../modules/pubsub/engine/engine.js';
import type { PepServices } from '../modules/pep/pep-services.js';
import { log } from '../core/log.js';
import type { BusMessage, ClusterBus } from './cluster-bus.js';

export const PUBSUB_CHANGED = 'pubsub-changed';

/** Announces each change on the bus and waits until Redis has sent it to the other processes. */
export function changeAnnouncer(bus: ClusterBus): EngineChangeListener {
  return {
    async changed(service, nodes) {
      // Bus down: the others cannot be told now; they drop every cached node when it is back.
      if (bus.broadcast({ t: PUBSUB_CHANGED, service, nodes: [...nodes] })) await bus.published();
    },
  };
}

/** The nodes a 'pubsub-changed' message names, or 'all'. */
export function changedNodes(message: BusMessage): readonly string[] | 'all' {
  if (Array.isArray(message.nodes)) return message.nodes.filter((n): n is string => typeof n === 'string');
  if (typeof message.node === 'string') return [message.node];
  return 'all';
}

export function keepPubsubCoherent(bus: ClusterBus, engine: PubsubEngine, pep?: PepServices): void {
  const announcer = changeAnnouncer(bus);
  engine.reportChangesTo(announcer);
  pep?.reportChangesTo(announcer);
  bus.on(PUBSUB_CHANGED, (m) => {
    if (typeof m.service !== 'string') return;
    const nodes = changedNodes(m);
    if (m.service === engine.service) {
      if (nodes === 'all') engine.forgetAllNodes();
      else for (const node of nodes) engine.forgetNode(node);
    } else {
      // A PEP service (an account's bare JID); nothing to do when this process has it unloaded.
      pep?.forget(m.service, nodes);
    }
    log.debug({ service: m.service, nodes }, 'cluster: pubsub nodes changed elsewhere; cache dropped');
  });
  // Changes made while Redis was away were never announced: after an outage nothing cached is trusted.
  bus.onUp(() => {
    engine.forgetAllNodes();
    if (pep) for (const account of pep.loaded()) pep.forget(account, 'all');
  });
}
