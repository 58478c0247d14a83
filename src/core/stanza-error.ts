// A stanza error thrown by a handler (RFC 6120 section 8.3); the dispatcher turns it into the reply.

import type { StanzaErrorSpec } from '../protocol/stanza-error.js';

export class StanzaError extends Error {
  constructor(readonly spec: StanzaErrorSpec) {
    super(spec.text ?? spec.condition);
  }
}

export function fail(spec: StanzaErrorSpec | StanzaErrorSpec['condition']): never {
  throw new StanzaError(typeof spec === 'string' ? { condition: spec } : spec);
}
