// A stanza error thrown by a handler (RFC 6120 section 8.3); the dispatcher turns it into the reply.
// Anything else a handler throws is either a storage fault, answered with an error of type 'wait'
// (8.3.2: "retry after waiting (the error is temporary)"), or a bug: internal-server-error, type cancel.

import type { StanzaErrorSpec } from '../protocol/stanza-error.js';
import { storageFault } from '../storage/storage-fault.js';

export class StanzaError extends Error {
  constructor(readonly spec: StanzaErrorSpec) {
    super(spec.text ?? spec.condition);
  }
}

export function fail(spec: StanzaErrorSpec | StanzaErrorSpec['condition']): never {
  throw new StanzaError(typeof spec === 'string' ? { condition: spec } : spec);
}

/**
 * The stanza error for what a handler threw. RFC 6120 8.3.3.11 gives internal-server-error the type
 * cancel "SHOULD", for a server fault that retrying will not cure; a database that is down will come
 * back, so that case says wait. A busy database or a full disk is 8.3.3.18 resource-constraint ("busy
 * or lacks the system resources"), whose type is already wait.
 */
export function stanzaErrorFor(err: unknown): StanzaErrorSpec {
  if (err instanceof StanzaError) return err.spec;
  switch (storageFault(err)) {
    case 'unavailable':
      return { condition: 'internal-server-error', type: 'wait', text: 'The server storage is unavailable; retry later' };
    case 'busy':
      return { condition: 'resource-constraint', text: 'The server storage is busy; retry shortly' };
    case 'full':
      return { condition: 'resource-constraint', text: 'The server storage is full' };
    case undefined:
      return { condition: 'internal-server-error' };
  }
}
