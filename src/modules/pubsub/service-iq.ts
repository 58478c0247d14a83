// Which handler answers an IQ addressed to a pubsub service (XEP-0060 pubsub and pubsub#owner payloads,
// XEP-0030 node discovery, XEP-0313/0442 node archives, XEP-0050 get-pending), shared by pubsub.<domain>
// and the PEP services so both speak exactly the same protocol.

import type { Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { ClientSession } from '../../core/client-session.js';
import { archiveQueryForm, nodeArchiveMetadata, queryNodeArchive } from './archive-query.js';
import { COMMANDS_NS, type PendingCommand } from './pending-command.js';
import { answerIq, isPubsubPayload, pubsubAction } from './pubsub-dispatch.js';
import { requestError } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { discoItems, nodeInfo } from './service-disco.js';

export interface ServiceIq {
  scope: ServiceScope;
  stanza: Element;
  /** The single child of the get/set IQ. */
  payload: Element;
  /** Requester (full JID as stamped by the server). */
  from: string;
  origin?: ClientSession;
  commands: PendingCommand;
}

/**
 * Answers the IQ when it is one of the service's: resolves true once answered, false when this payload
 * is not a pubsub service's business (the caller then answers, e.g. service-unavailable).
 */
export async function answerServiceIq(q: ServiceIq): Promise<boolean> {
  const { scope, stanza, payload, from, origin } = q;
  const type = stanza.attrs.type;
  const ns = payload.getNS();
  const node = payload.attrs.node;
  if (isPubsubPayload(payload)) {
    await answerIq(scope, stanza, origin, (after) => pubsubAction(scope, stanza, payload, from, after));
    return true;
  }
  if (type === 'get' && payload.is('query', NS.DISCO_INFO) && node) {
    await answerIq(scope, stanza, origin, () => nodeInfo(scope, from, node));
    return true;
  }
  if (type === 'get' && payload.is('query', NS.DISCO_ITEMS)) {
    await answerIq(scope, stanza, origin, () => discoItems(scope, from, node || undefined));
    return true;
  }
  if (payload.is('query', NS.MAM) && (node || !scope.pep)) {
    await answerIq(scope, stanza, origin, async () => (type === 'get' ? archiveQueryForm() : queryNodeArchive(scope, from, payload)));
    return true;
  }
  if (type === 'get' && payload.is('metadata', NS.MAM) && node) {
    await answerIq(scope, stanza, origin, () => nodeArchiveMetadata(scope, from, payload));
    return true;
  }
  if (payload.is('command', COMMANDS_NS) && ns === COMMANDS_NS) {
    await answerIq(scope, stanza, origin, async (after) => {
      if (type !== 'set') throw requestError('bad-request');
      return q.commands.execute(scope, from, payload, after);
    });
    return true;
  }
  return false;
}
