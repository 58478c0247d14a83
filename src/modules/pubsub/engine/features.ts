// The http://jabber.org/protocol/pubsub#<feature> names this engine implements (XEP-0060 section 10
// feature summary; XEP-0163 section 5 for PEP; shared/conformance/pubsub.md), for the handler's
// disco#info: a feature is advertised exactly when the engine does it.

const COMMON = [
  'access-authorize',
  'access-open',
  'access-presence',
  'access-roster',
  'access-whitelist',
  'auto-create',
  'config-node',
  'config-node-max',
  'create-and-configure',
  'create-nodes',
  'delete-items',
  'delete-nodes',
  'get-pending',
  'instant-nodes',
  'item-ids',
  'last-published',
  'manage-subscriptions',
  'member-affiliation',
  'meta-data',
  'modify-affiliations',
  'multi-items',
  'multi-subscribe',
  'outcast-affiliation',
  'persistent-items',
  'presence-notifications',
  'publish',
  'publish-node-full',
  'publish-only-affiliation',
  'publish-options',
  'publisher-affiliation',
  'purge-nodes',
  'retract-items',
  'retrieve-affiliations',
  'retrieve-default',
  'retrieve-default-sub',
  'retrieve-items',
  'retrieve-subscriptions',
  'rsm',
  'subscribe',
  'subscription-notifications',
  'subscription-options',
] as const;

/** PEP adds implicit subscriptions from presence and caps filtering (XEP-0060 9.1, 9.2). */
const PEP_ONLY = ['auto-subscribe', 'filtered-notifications'] as const;

export const PUBSUB_FEATURE_PREFIX = 'http://jabber.org/protocol/pubsub#';

/** Feature names (without the namespace prefix), sorted. */
export function pubsubFeatures(pep: boolean): string[] {
  return [...COMMON, ...(pep ? PEP_ONLY : [])].sort();
}

/** The access model advertised as the default (XEP-0060 10: pubsub#default_access_model_*). */
export function defaultAccessModelFeature(accessModel: string): string {
  return `${PUBSUB_FEATURE_PREFIX}default_access_model_${accessModel}`;
}
