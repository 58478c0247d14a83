// RFC 6120 section 8.3: stanza errors. Each defined condition has a default error type (8.3.3),
// so callers name only the condition and the reply gets the type the RFC gives it.

import { Element, xml } from '../xml/element.js';
import { NS } from './namespaces.js';

export type StanzaErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

export const STANZA_ERROR_TYPES = {
  'bad-request': 'modify',
  conflict: 'cancel',
  'feature-not-implemented': 'cancel',
  forbidden: 'auth',
  gone: 'cancel',
  'internal-server-error': 'cancel',
  'item-not-found': 'cancel',
  'jid-malformed': 'modify',
  'not-acceptable': 'modify',
  'not-allowed': 'cancel',
  'not-authorized': 'auth',
  'payment-required': 'auth',
  'policy-violation': 'modify',
  'recipient-unavailable': 'wait',
  redirect: 'modify',
  'registration-required': 'auth',
  'remote-server-not-found': 'cancel',
  'remote-server-timeout': 'wait',
  'resource-constraint': 'wait',
  'service-unavailable': 'cancel',
  'subscription-required': 'auth',
  'undefined-condition': 'cancel',
  'unexpected-request': 'wait',
} as const satisfies Record<string, StanzaErrorType>;

export type StanzaErrorCondition = keyof typeof STANZA_ERROR_TYPES;

export interface StanzaErrorSpec {
  condition: StanzaErrorCondition;
  type?: StanzaErrorType;
  text?: string;
  /** An application-specific condition element (e.g. a pubsub#errors child). */
  application?: Element;
  /** For gone/redirect: the new address. */
  uri?: string;
}

/** The <error/> child of an error stanza. */
export function errorElement(spec: StanzaErrorSpec): Element {
  const err = xml('error', { type: spec.type ?? STANZA_ERROR_TYPES[spec.condition] });
  err.append(xml(spec.condition, { xmlns: NS.STANZAS }, spec.uri));
  if (spec.text) err.append(xml('text', { xmlns: NS.STANZAS, 'xml:lang': 'en' }, spec.text));
  if (spec.application) err.append(spec.application);
  return err;
}

/**
 * The error reply to `stanza` (RFC 6120 8.3.1): same name and id, addresses swapped, type 'error'.
 * The original payload is not echoed back: it may be large, and 8.3.1 makes echoing optional.
 */
export function errorReply(stanza: Element, spec: StanzaErrorSpec): Element {
  const attrs: Record<string, string> = { type: 'error' };
  if (stanza.attrs.id !== undefined) attrs.id = stanza.attrs.id;
  if (stanza.attrs.from !== undefined) attrs.to = stanza.attrs.from;
  if (stanza.attrs.to !== undefined) attrs.from = stanza.attrs.to;
  return xml(stanza.name, attrs, errorElement(spec));
}

/** Error stanzas are never answered with errors (RFC 6120 8.3.1, rule 2). */
export function mayReplyWithError(stanza: Element): boolean {
  return stanza.attrs.type !== 'error' && !(stanza.name === 'iq' && stanza.attrs.type === 'result');
}
