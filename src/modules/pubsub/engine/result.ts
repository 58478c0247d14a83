// Outcomes of engine operations and the error pairs of XEP-0060 sections 5-8 (each names an RFC 6120
// section 8.3.3 stanza error condition and, where the spec gives one, a condition from the
// http://jabber.org/protocol/pubsub#errors namespace). The handler layer turns a PubsubError into an
// <error/> element without deciding anything.

export type StanzaErrorCondition =
  | 'bad-request'
  | 'conflict'
  | 'feature-not-implemented'
  | 'forbidden'
  | 'gone'
  | 'internal-server-error'
  | 'item-not-found'
  | 'not-acceptable'
  | 'not-allowed'
  | 'not-authorized'
  | 'payment-required'
  | 'policy-violation'
  | 'registration-required'
  | 'service-unavailable'
  | 'unexpected-request';

export type StanzaErrorType = 'cancel' | 'auth' | 'modify' | 'wait';

export type PubsubErrorCondition =
  | 'closed-node'
  | 'configuration-required'
  | 'invalid-jid'
  | 'invalid-options'
  | 'invalid-payload'
  | 'invalid-subid'
  | 'item-forbidden'
  | 'item-required'
  | 'jid-required'
  | 'max-items-exceeded'
  | 'max-nodes-exceeded'
  | 'node-full'
  | 'nodeid-required'
  | 'not-in-roster-group'
  | 'not-subscribed'
  | 'payload-too-big'
  | 'payload-required'
  | 'pending-subscription'
  | 'precondition-not-met'
  | 'presence-subscription-required'
  | 'subid-required'
  | 'too-many-subscriptions'
  | 'unsupported'
  | 'unsupported-access-model';

/** One rejected entry of a multi-entry owner modification (XEP-0060 8.8.2.4, 8.9.2.4). */
export interface RejectedEntry {
  jid: string;
  subid?: string;
  /** The current, unchanged value. */
  subscription?: 'subscribed' | 'pending' | 'unconfigured' | 'none';
  affiliation?: string;
}

export interface PubsubError {
  condition: StanzaErrorCondition;
  type: StanzaErrorType;
  pubsub?: PubsubErrorCondition;
  /** The feature name for pubsub condition 'unsupported'. */
  feature?: string;
  /** Human-readable detail for logs and the error <text/>. */
  text?: string;
  /** For multi-entry modifications: the entries that were not applied. */
  rejected?: RejectedEntry[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PubsubError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: PubsubError): Result<T> => ({ ok: false, error });

const e = (condition: StanzaErrorCondition, type: StanzaErrorType, pubsub?: PubsubErrorCondition) =>
  (text?: string): PubsubError => (pubsub ? { condition, type, pubsub, text } : { condition, type, text });

/** The error pairs as the XEP-0060 examples give them, one builder per named case. */
export const PubsubErrors = {
  nodeNotFound: e('item-not-found', 'cancel'),
  itemNotFound: e('item-not-found', 'cancel'),
  forbidden: e('forbidden', 'auth'),
  nodeExists: e('conflict', 'cancel'),
  invalidJid: e('bad-request', 'modify', 'invalid-jid'),
  jidRequired: e('bad-request', 'modify', 'jid-required'),
  presenceSubscriptionRequired: e('not-authorized', 'auth', 'presence-subscription-required'),
  notInRosterGroup: e('not-authorized', 'auth', 'not-in-roster-group'),
  closedNode: e('not-allowed', 'cancel', 'closed-node'),
  pendingSubscription: e('not-authorized', 'auth', 'pending-subscription'),
  tooManySubscriptions: e('policy-violation', 'wait', 'too-many-subscriptions'),
  subidRequired: e('bad-request', 'modify', 'subid-required'),
  invalidSubid: e('not-acceptable', 'modify', 'invalid-subid'),
  /** Unsubscribe by an entity that has no subscription (XEP-0060 6.2.3.2: type cancel). */
  notSubscribedUnsubscribe: e('unexpected-request', 'cancel', 'not-subscribed'),
  /** Options of an entity that has no subscription (XEP-0060 6.3.4.2: type modify). */
  notSubscribedOptions: e('unexpected-request', 'modify', 'not-subscribed'),
  /** Items of an authorize/whitelist node for a non-subscriber (XEP-0060 6.5.9.3). */
  notSubscribedItems: e('not-authorized', 'auth', 'not-subscribed'),
  invalidOptions: e('bad-request', 'modify', 'invalid-options'),
  nodeidRequired: e('bad-request', 'modify', 'nodeid-required'),
  instantNodesUnsupported: e('not-acceptable', 'modify', 'nodeid-required'),
  itemRequired: e('bad-request', 'modify', 'item-required'),
  payloadRequired: e('bad-request', 'modify', 'payload-required'),
  itemForbidden: e('bad-request', 'modify', 'item-forbidden'),
  invalidPayload: e('bad-request', 'modify', 'invalid-payload'),
  payloadTooBig: e('not-acceptable', 'modify', 'payload-too-big'),
  nodeFull: e('conflict', 'cancel', 'node-full'),
  maxItemsExceeded: e('not-allowed', 'cancel', 'max-items-exceeded'),
  maxNodesExceeded: e('not-allowed', 'cancel', 'max-nodes-exceeded'),
  preconditionNotMet: e('conflict', 'cancel', 'precondition-not-met'),
  /** A configuration that cannot be applied (XEP-0060 8.2.5.2: not-acceptable). */
  configurationRejected: e('not-acceptable', 'modify'),
  unsupportedAccessModel: e('not-acceptable', 'modify', 'unsupported-access-model'),
  badRequest: e('bad-request', 'modify'),
  notAcceptable: e('not-acceptable', 'modify'),
  unsupported: (feature: string, text?: string): PubsubError => ({
    condition: 'feature-not-implemented',
    type: 'cancel',
    pubsub: 'unsupported',
    feature,
    text,
  }),
} as const;
