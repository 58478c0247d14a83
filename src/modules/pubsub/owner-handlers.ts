// The owner use cases of XEP-0060 in the pubsub#owner namespace: 8.2 configure (form, submission,
// cancellation), 8.3 default configuration, 8.4 delete with redirect, 8.5 purge, 8.8 manage
// subscriptions and 8.9 manage affiliations (multi-entry changes answer the rejected entries with their
// unchanged values, 8.8.2.4 and 8.9.2.4).

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { AffiliationChange, SubscriptionChange } from './engine/engine.js';
import type { PubsubError } from './engine/result.js';
import { AFFILIATIONS, type Affiliation, type SubscriptionState } from './engine/types.js';
import { nodeConfigForm } from './node-config-form.js';
import { requestError, unwrap } from './pubsub-errors.js';
import { jidAttribute, type PubsubRequest } from './pubsub-request.js';
import { FORM_TYPES, submittedForm } from './submitted-form.js';
import { subscriptionElement, type Handler } from './subscriber-handlers.js';

const MAX_REDIRECTS = 10_000;
const owner = (...children: Array<Element | null | undefined>) => xml('pubsub', { xmlns: NS.PUBSUB_OWNER }, ...children);
const bareOf = (jid: string): string => (jid.includes('/') ? jid.slice(0, jid.indexOf('/')) : jid);

/** 8.2.2: the configuration form with the current values. */
const getConfigure: Handler = async (r) => {
  const node = r.action.attrs.node;
  const config = unwrap(await r.scope.engine.getNodeConfig(r.from, node));
  const groups = await r.scope.access.groupsOfRoster(bareOf(r.from));
  return owner(xml('configure', { node: node! }, nodeConfigForm(config, 'form', groups)));
};

/** 8.2.4: a submitted configuration, or a cancellation that keeps the current one. */
const setConfigure: Handler = async (r) => {
  const node = r.action.attrs.node;
  const form = submittedForm(r.action, FORM_TYPES.nodeConfig, true);
  if (!form) throw requestError({ condition: 'bad-request', text: 'a configuration submission carries a data form' });
  if (form.cancelled) {
    // Still only for owners of an existing node (8.2.3).
    unwrap(await r.scope.engine.getNodeConfig(r.from, node));
    return undefined;
  }
  unwrap(await r.scope.engine.configureNode(r.from, node, form.fields));
  return undefined;
};

/** 8.3: the default configuration of leaf nodes (the only node type served). */
const getDefault: Handler = async (r) => {
  const type = r.action.attrs.type;
  if (type !== undefined && type !== 'leaf') {
    unwrap({ ok: false, error: { condition: 'feature-not-implemented', type: 'cancel', pubsub: 'unsupported', feature: 'collections' } });
  }
  const config = unwrap(r.scope.engine.getDefaultConfig());
  const groups = await r.scope.access.groupsOfRoster(bareOf(r.from));
  return owner(xml('default', {}, nodeConfigForm(config, 'form', groups)));
};

/** 8.4: delete, telling subscribers where the node went when a redirect is given. */
const setDelete: Handler = async (r) => {
  const node = r.action.attrs.node;
  const uri = r.action.getChild('redirect')?.attrs.uri;
  unwrap(await r.scope.engine.deleteNode(r.from, node, uri || undefined));
  if (node !== undefined && uri) {
    r.scope.moved.set(node, uri);
    // Redirects are remembered in memory for a bounded number of nodes, oldest forgotten first.
    if (r.scope.moved.size > MAX_REDIRECTS) r.scope.moved.delete(r.scope.moved.keys().next().value!);
  }
  return undefined;
};

/** 8.5: purge every item, one purge notification. */
const setPurge: Handler = async (r) => {
  unwrap(await r.scope.engine.purgeNode(r.from, r.action.attrs.node));
  return undefined;
};

/** 8.8.1: subscriptions in state subscribed or unconfigured. */
const getSubscriptions: Handler = async (r) => {
  const node = r.action.attrs.node;
  const subs = unwrap(await r.scope.engine.getNodeSubscriptions(r.from, node));
  return owner(xml('subscriptions', { node: node! }, ...subs.map((s) => subscriptionElement(s, false))));
};

const SUBSCRIPTION_STATES: readonly SubscriptionState[] = ['subscribed', 'pending', 'unconfigured', 'none'];

/** 8.8.2: a delta of subscription changes; entries without a subscription attribute change nothing. */
const setSubscriptions: Handler = async (r) => {
  const node = r.action.attrs.node;
  const changes: SubscriptionChange[] = [];
  for (const el of r.action.getChildren('subscription')) {
    const state = el.attrs.subscription;
    if (state === undefined) continue;
    if (!SUBSCRIPTION_STATES.includes(state as SubscriptionState)) throw requestError({ condition: 'bad-request', text: `unknown subscription state ${state}` });
    const jid = jidAttribute(r, el, 'jid', 'invalid-jid');
    if (jid === undefined) throw requestError({ condition: 'bad-request', text: 'each <subscription/> names a jid' }, 'jid-required');
    changes.push({ jid, subscription: state as SubscriptionState, ...(el.attrs.subid ? { subid: el.attrs.subid } : {}) });
  }
  unwrap(await r.scope.engine.setNodeSubscriptions(r.from, node, changes), (error) => rejectedSubscriptions(node, error));
  return undefined;
};

function rejectedSubscriptions(node: string | undefined, error: PubsubError): Element | undefined {
  if (!error.rejected) return undefined;
  const entries = error.rejected.map((e) => {
    const attrs: Record<string, string> = { jid: e.jid, subscription: e.subscription ?? 'none' };
    if (e.subid) attrs.subid = e.subid;
    return xml('subscription', attrs);
  });
  return owner(xml('subscriptions', node !== undefined ? { node } : {}, ...entries));
}

/** 8.9.1: every affiliation but none. */
const getAffiliations: Handler = async (r) => {
  const node = r.action.attrs.node;
  const affs = unwrap(await r.scope.engine.getNodeAffiliations(r.from, node));
  return owner(xml('affiliations', { node: node! }, ...affs.map((a) => xml('affiliation', { jid: a.jid, affiliation: a.affiliation }))));
};

/** 8.9.2: a delta of affiliation changes, checked against the state chart of 4.1. */
const setAffiliations: Handler = async (r) => {
  const node = r.action.attrs.node;
  const changes: AffiliationChange[] = [];
  for (const el of r.action.getChildren('affiliation')) {
    const affiliation = el.attrs.affiliation;
    if (affiliation === undefined) continue;
    if (!AFFILIATIONS.includes(affiliation as Affiliation)) throw requestError({ condition: 'bad-request', text: `unknown affiliation ${affiliation}` });
    const jid = jidAttribute(r, el, 'jid', 'invalid-jid');
    if (jid === undefined) throw requestError({ condition: 'bad-request', text: 'each <affiliation/> names a jid' }, 'jid-required');
    changes.push({ jid: bareOf(jid), affiliation: affiliation as Affiliation });
  }
  unwrap(await r.scope.engine.setNodeAffiliations(r.from, node, changes), (error) => rejectedAffiliations(node, error));
  return undefined;
};

function rejectedAffiliations(node: string | undefined, error: PubsubError): Element | undefined {
  if (!error.rejected) return undefined;
  const entries = error.rejected.map((e) => xml('affiliation', { jid: e.jid, affiliation: e.affiliation ?? 'none' }));
  return owner(xml('affiliations', node !== undefined ? { node } : {}, ...entries));
}

export const OWNER_HANDLERS: Record<string, Handler> = {
  owner_get_configure: getConfigure,
  owner_set_configure: setConfigure,
  owner_get_default: getDefault,
  owner_set_delete: setDelete,
  owner_set_purge: setPurge,
  owner_get_subscriptions: getSubscriptions,
  owner_set_subscriptions: setSubscriptions,
  owner_get_affiliations: getAffiliations,
  owner_set_affiliations: setAffiliations,
};
