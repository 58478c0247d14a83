// The entity and subscriber use cases of XEP-0060 as IQ handlers: 5.6 own subscriptions, 5.7 own
// affiliations, 6.1 subscribe (with 6.3.7 options, 6.1.7 last item after the result), 6.2 unsubscribe,
// 6.3 subscription options, 6.4 default options, 6.5 item retrieval (max_items, by id, XEP-0059 RSM).
// Each maps one request to one engine call; the engine decides, these only translate.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { parseRsm, rsmElement } from '../../protocol/rsm.js';
import type { Subscription } from './engine/types.js';
import { itemElement } from './item-xml.js';
import { PubsubFailure, requestError, unwrap } from './pubsub-errors.js';
import { checkId, jidAttribute, type PubsubRequest } from './pubsub-request.js';
import { subscribeOptionsForm } from './subscribe-options-form.js';
import { FORM_TYPES, submittedForm } from './submitted-form.js';

export type Handler = (r: PubsubRequest) => Promise<Element | undefined>;

const pubsub = (...children: Array<Element | null | undefined>) => xml('pubsub', { xmlns: NS.PUBSUB }, ...children);

/** <subscription/> as the entity use cases send it: node, jid, subid, state (6.1.2, 5.6). */
export function subscriptionElement(s: Subscription, withNode = true): Element {
  const attrs: Record<string, string> = withNode ? { node: s.node, jid: s.jid } : { jid: s.jid };
  attrs.subscription = s.state;
  attrs.subid = s.subid;
  return xml('subscription', attrs);
}

function optionalNode(r: PubsubRequest): string | undefined {
  const node = r.action.attrs.node;
  checkId(node, 'NodeID');
  return node === '' ? undefined : node;
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value.trim())) throw requestError({ condition: 'bad-request', text: `${name} must be a positive integer` });
  return Number(value.trim());
}

/** 6.5: all items, the most recent max_items, particular ids, or an RSM page; newest first. */
const getItems: Handler = async (r) => {
  const node = r.action.attrs.node;
  const maxItems = positiveInteger(r.action.attrs.max_items, 'max_items');
  const itemIds = r.action.getChildren('item').map((i) => i.attrs.id ?? '');
  if (itemIds.some((id) => id === '')) throw requestError({ condition: 'bad-request', text: 'an <item/> to retrieve needs an id' }, 'item-required');
  let rsm;
  try {
    rsm = parseRsm(r.pubsub);
  } catch (err) {
    throw requestError({ condition: 'bad-request', text: (err as Error).message });
  }
  const page = unwrap(
    await r.scope.engine.getItems(r.from, node, {
      ...(maxItems !== undefined ? { maxItems } : {}),
      ...(itemIds.length > 0 ? { itemIds } : {}),
      ...(r.action.attrs.subid ? { subid: r.action.attrs.subid } : {}),
      ...(rsm ? { rsm } : {}),
    }),
  );
  return pubsub(xml('items', { node: node! }, ...page.items.map(itemElement)), page.rsm ? rsmElement(page.rsm) : null);
};

/** 6.1: subscribe, optionally with options (6.3.7); the last published item follows the result. */
const setSubscribe: Handler = async (r) => {
  const jid = jidAttribute(r, r.action);
  const node = r.action.attrs.node;
  const optionsEl = r.pubsub.getChild('options');
  if (optionsEl && (optionsEl.attrs.node !== undefined || optionsEl.attrs.jid !== undefined)) {
    throw requestError({ condition: 'bad-request', text: '<options/> after <subscribe/> takes no node or jid (6.3.7)' });
  }
  const form = submittedForm(optionsEl, FORM_TYPES.subscribeOptions);
  const result = await r.scope.engine.subscribe(r.from, node, jid, form?.fields);
  if (!result.ok && result.error.condition === 'item-not-found' && node !== undefined && r.scope.moved.has(node)) {
    // 6.1.3.11: a node deleted with a redirect has moved.
    throw new PubsubFailure({ condition: 'gone', type: 'modify', uri: r.scope.moved.get(node) });
  }
  const outcome = unwrap(result);
  const last = outcome.lastPublished;
  if (last) r.after.push(() => r.scope.notifier.notify(last));
  const sub = outcome.subscription;
  return pubsub(subscriptionElement(sub), form ? xml('options', {}, subscribeOptionsForm(sub.options, 'result')) : null);
};

/** 6.2: unsubscribe one subscription; the result echoes it in state none. */
const setUnsubscribe: Handler = async (r) => {
  const jid = jidAttribute(r, r.action);
  const sub = unwrap(await r.scope.engine.unsubscribe(r.from, r.action.attrs.node, jid, r.action.attrs.subid));
  return pubsub(subscriptionElement(sub));
};

/** 6.3.2: the options form of one subscription. */
const getOptions: Handler = async (r) => {
  const jid = jidAttribute(r, r.action);
  const sub = unwrap(await r.scope.engine.getSubscriptionOptions(r.from, r.action.attrs.node, jid, r.action.attrs.subid));
  const attrs: Record<string, string> = { node: sub.node, jid: sub.jid, subid: sub.subid };
  return pubsub(xml('options', attrs, subscribeOptionsForm(sub.options, 'form')));
};

/** 6.3.5: a submitted options form. */
const setOptions: Handler = async (r) => {
  const jid = jidAttribute(r, r.action);
  const form = submittedForm(r.action, FORM_TYPES.subscribeOptions);
  if (!form) throw requestError({ condition: 'bad-request', text: 'an options submission carries a data form' }, 'invalid-options');
  unwrap(await r.scope.engine.setSubscriptionOptions(r.from, r.action.attrs.node, jid, r.action.attrs.subid, form.fields));
  return undefined;
};

/** 6.4: default subscription options of the service or of a node. */
const getDefault: Handler = async (r) => {
  const node = optionalNode(r);
  const options = unwrap(await r.scope.engine.getDefaultSubscriptionOptions(node));
  return pubsub(xml('default', node !== undefined ? { node } : {}, subscribeOptionsForm(options, 'result')));
};

/** 5.6: the requester's subscriptions, at one node or everywhere. */
const getSubscriptions: Handler = async (r) => {
  const node = optionalNode(r);
  const subs = unwrap(await r.scope.engine.getSubscriptions(r.from, node));
  return pubsub(xml('subscriptions', node !== undefined ? { node } : {}, ...subs.map((s) => subscriptionElement(s))));
};

/** 5.7: the requester's affiliations, at one node or everywhere. */
const getAffiliations: Handler = async (r) => {
  const node = optionalNode(r);
  const affs = unwrap(await r.scope.engine.getAffiliations(r.from, node));
  return pubsub(
    xml('affiliations', node !== undefined ? { node } : {}, ...affs.map((a) => xml('affiliation', { node: a.node, affiliation: a.affiliation }))),
  );
};

export const SUBSCRIBER_HANDLERS: Record<string, Handler> = {
  get_items: getItems,
  get_options: getOptions,
  get_default: getDefault,
  get_subscriptions: getSubscriptions,
  get_affiliations: getAffiliations,
  set_subscribe: setSubscribe,
  set_unsubscribe: setUnsubscribe,
  set_options: setOptions,
};
