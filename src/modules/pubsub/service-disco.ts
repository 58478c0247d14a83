// Service discovery of a pubsub service (XEP-0060 5.1 features with identity pubsub/service, 5.2 nodes
// the requester may see, 5.3/5.4 node information with identity pubsub/leaf and the pubsub#meta-data
// form, 5.5 a node's items by ItemID in 'name'; XEP-0163 6.2 only visible nodes; XEP-0050 2.2 the
// get-pending command listed under the commands node).

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { infoQuery } from '../disco/index.js';
import { defaultAccessModelFeature, pubsubFeatures, PUBSUB_FEATURE_PREFIX } from './engine/features.js';
import { metadataForm } from './node-config-form.js';
import { requestError, unwrap } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { COMMANDS_NS, GET_PENDING_NODE } from './pending-command.js';

export const RSM_FEATURE = NS.RSM;

/** Every feature of the generic service, as disco#info lists them. */
export function serviceFeatures(): string[] {
  return [
    NS.DISCO_INFO,
    NS.DISCO_ITEMS,
    NS.PUBSUB,
    ...pubsubFeatures(false).map((f) => PUBSUB_FEATURE_PREFIX + f),
    defaultAccessModelFeature('open'),
    NS.MAM,
    COMMANDS_NS,
    RSM_FEATURE,
  ];
}

/** disco#info of a node: identity pubsub/leaf, its archive, and the meta-data form. */
export async function nodeInfo(scope: ServiceScope, from: string, node: string): Promise<Element> {
  if (node === GET_PENDING_NODE) {
    return infoQuery(node, [{ category: 'automation', type: 'command-node', name: 'Get pending subscription requests' }], [COMMANDS_NS, NS.DATA_FORMS]);
  }
  if (node === COMMANDS_NS) return infoQuery(node, [], []);
  const meta = unwrap(await scope.engine.getNodeMetadata(from, node));
  const q = infoQuery(node, [{ category: 'pubsub', type: 'leaf' }], [NS.DISCO_INFO, NS.DISCO_ITEMS, NS.PUBSUB, NS.MAM]);
  q.append(metadataForm(meta));
  return q;
}

/** disco#info of the generic service itself. */
export function serviceInfo(): Element {
  return infoQuery(undefined, [{ category: 'pubsub', type: 'service', name: 'Publish-Subscribe' }], serviceFeatures());
}

/** disco#items: the visible nodes (no node), a node's ItemIDs (5.5), or the commands (XEP-0050). */
export async function discoItems(scope: ServiceScope, from: string, node: string | undefined): Promise<Element> {
  const q = xml('query', node ? { xmlns: NS.DISCO_ITEMS, node } : { xmlns: NS.DISCO_ITEMS });
  if (node === COMMANDS_NS) {
    q.append(xml('item', { jid: scope.jid, node: GET_PENDING_NODE, name: 'Get pending subscription requests' }));
    return q;
  }
  if (node === undefined) {
    for (const n of unwrap(await scope.engine.listNodes(from))) {
      q.append(xml('item', n.title ? { jid: scope.jid, node: n.node, name: n.title } : { jid: scope.jid, node: n.node }));
    }
    return q;
  }
  // A node the requester may not see does not exist for it.
  unwrap(await scope.engine.getNodeMetadata(from, node));
  const page = await scope.engine.getItems(from, node);
  if (!page.ok) {
    // Visible but not readable (authorize, not yet approved): the node exists, its items are not listed.
    if (page.error.condition === 'item-not-found') throw requestError('item-not-found');
    return q;
  }
  for (const item of page.value.items) q.append(xml('item', { jid: scope.jid, name: item.id }));
  return q;
}
