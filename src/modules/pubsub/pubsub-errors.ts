// XEP-0060 section 13 (error conditions) and the per-use-case error examples: each engine error pair
// becomes the stanza error it names (RFC 6120 8.3.3 condition and type) with the
// http://jabber.org/protocol/pubsub#errors child, `feature` on <unsupported/>. Multi-entry owner
// modifications (8.8.2.4, 8.9.2.4) carry the rejected entries back in the error IQ's payload.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { errorElement, type StanzaErrorSpec } from '../../protocol/stanza-error.js';
import type { PubsubError, Result } from './engine/result.js';

/** Thrown by a request handler: the IQ is answered with this error (and `payload`, when given). */
export class PubsubFailure extends Error {
  constructor(
    readonly spec: StanzaErrorSpec,
    /** A child echoed in the error IQ before <error/>, e.g. the rejected <subscriptions/>. */
    readonly payload?: Element,
  ) {
    super(spec.text ?? spec.condition);
  }
}

export function errorSpec(error: PubsubError): StanzaErrorSpec {
  const spec: StanzaErrorSpec = { condition: error.condition, type: error.type };
  if (error.text) spec.text = error.text;
  if (error.pubsub) {
    spec.application = xml(error.pubsub, error.feature ? { xmlns: NS.PUBSUB_ERRORS, feature: error.feature } : { xmlns: NS.PUBSUB_ERRORS });
  }
  return spec;
}

/** The value of a successful engine result; a failure is thrown as the error the spec gives it. */
export function unwrap<T>(result: Result<T>, payload?: (error: PubsubError) => Element | undefined): T {
  if (result.ok) return result.value;
  throw new PubsubFailure(errorSpec(result.error), payload?.(result.error));
}

/** A protocol error that is not the engine's: a malformed request, mostly. */
export function requestError(spec: StanzaErrorSpec | StanzaErrorSpec['condition'], pubsub?: string): PubsubFailure {
  const s: StanzaErrorSpec = typeof spec === 'string' ? { condition: spec } : { ...spec };
  if (pubsub) s.application = xml(pubsub, { xmlns: NS.PUBSUB_ERRORS });
  return new PubsubFailure(s);
}

/** The error IQ: the request's addresses swapped, the optional payload, then <error/> (RFC 6120 8.3.1). */
export function failureReply(stanza: Element, failure: PubsubFailure): Element {
  const attrs: Record<string, string> = { type: 'error' };
  if (stanza.attrs.id !== undefined) attrs.id = stanza.attrs.id;
  if (stanza.attrs.from !== undefined) attrs.to = stanza.attrs.from;
  if (stanza.attrs.to !== undefined) attrs.from = stanza.attrs.to;
  return xml(stanza.name, attrs, failure.payload, errorElement(failure.spec));
}
