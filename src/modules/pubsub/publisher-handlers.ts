// The publisher use cases of XEP-0060 as IQ handlers: 7.1 publish (one item per request since 1.13,
// exactly one payload element per item 7.1.3.5, generated ItemIDs returned in the result 7.1.2,
// publish-options preconditions 7.1.5, auto-create 7.1.4), 7.2 retract (with notify), and 8.1 create
// (instant nodes, create-and-configure). The IQ result of a publish is sent only after the engine's
// promise resolved, that is after the store committed the item (DESIGN.md section 7).

import { xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { PublishItem } from './engine/types.js';
import { requestError, unwrap } from './pubsub-errors.js';
import { booleanAttribute, checkId, type PubsubRequest } from './pubsub-request.js';
import { standalonePayload } from './raw-xml.js';
import { FORM_TYPES, submittedForm } from './submitted-form.js';
import type { Handler } from './subscriber-handlers.js';

const bareOf = (jid: string): string => (jid.includes('/') ? jid.slice(0, jid.indexOf('/')) : jid);

function publishItems(r: PubsubRequest): PublishItem[] {
  const items = r.action.getChildren('item');
  // Batch publishing was removed in XEP-0060 1.13: a publish carries no item or one.
  if (items.length > 1) throw requestError({ condition: 'bad-request', text: 'one item per publish request (XEP-0060 7.1.1)' });
  return items.map((item) => {
    const id = item.attrs.id;
    checkId(id, 'ItemID');
    const payloads = item.getChildElements();
    if (payloads.length > 1) throw requestError({ condition: 'bad-request', text: 'an item holds one payload element' }, 'invalid-payload');
    const out: PublishItem = {};
    if (id) out.id = id;
    if (payloads[0]) {
      const { xml: payload, namespace } = standalonePayload(payloads[0]);
      out.payload = payload;
      if (namespace !== undefined) out.namespace = namespace;
    }
    return out;
  });
}

/** 7.1: publish, creating the node with the publish-options when it does not exist. */
const setPublish: Handler = async (r) => {
  const node = r.action.attrs.node;
  checkId(node, 'NodeID');
  const items = publishItems(r);
  const options = submittedForm(r.pubsub.getChild('publish-options'), FORM_TYPES.publishOptions);
  await r.scope.checkNodeQuota(bareOf(r.from), node, false);
  const outcome = unwrap(await r.scope.engine.publish(r.from, node, items, options?.fields));
  if (node !== undefined) r.scope.moved.delete(node);
  return xml(
    'pubsub',
    { xmlns: NS.PUBSUB },
    xml('publish', { node: outcome.node }, ...outcome.itemIds.map((id) => xml('item', { id }))),
  );
};

/** 7.2: retract items; notify='true' asks for retraction notifications. */
const setRetract: Handler = async (r) => {
  const ids = r.action.getChildren('item').map((i) => i.attrs.id ?? '');
  const notify = booleanAttribute(r.action, 'notify');
  unwrap(await r.scope.engine.retract(r.from, r.action.attrs.node, ids, notify));
  return undefined;
};

/** 8.1: create a node, instant when no NodeID is given, configured by an optional form (8.1.3). */
const setCreate: Handler = async (r) => {
  const node = r.action.attrs.node;
  checkId(node, 'NodeID');
  const configure = r.pubsub.getChild('configure');
  if (configure && configure.attrs.node !== undefined) {
    throw requestError({ condition: 'bad-request', text: '<configure/> after <create/> takes no node (8.1.3)' });
  }
  const form = submittedForm(configure, FORM_TYPES.nodeConfig);
  await r.scope.checkNodeQuota(bareOf(r.from), node, true);
  const created = unwrap(await r.scope.engine.createNode(r.from, node, form?.fields));
  r.scope.moved.delete(created.node);
  return xml('pubsub', { xmlns: NS.PUBSUB }, xml('create', { node: created.node }));
};

export const PUBLISHER_HANDLERS: Record<string, Handler> = {
  set_publish: setPublish,
  set_retract: setRetract,
  set_create: setCreate,
};
