// What every stream engine shares: the server's routing core and its negotiation policy.

import type { Router } from '../core/router.js';
import type { SessionRegistry } from '../core/session-registry.js';
import type { EventBus } from '../core/event-bus.js';
import type { SaslCredentialSource } from './sasl/index.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { StreamEngine } from './stream-engine.js';
import type { Element } from '../xml/element.js';
import type { StreamManagementRegistry } from './stream-management.js';

export interface StreamPolicy {
  requireTls: boolean;
  /** Streams that have not bound a resource after this long get connection-timeout. */
  authTimeoutMs: number;
  /** SASL attempts per stream before policy-violation (RFC 6120 6.4.5 suggests 2 to 5). */
  maxSaslAttempts: number;
}

/** A handler for a nonza of a bound stream (e.g. XEP-0198 <r/>), keyed '<ns> <name>'. */
export type NonzaHandler = (engine: StreamEngine, el: Element) => void | Promise<void>;

export interface StreamContext {
  domain: string;
  policy: StreamPolicy;
  router: Router;
  sessions: SessionRegistry;
  bus: EventBus;
  credentials: SaslCredentialSource;
  authThrottle: AuthThrottle;
  /** RFC 7622 resourcepart preparation; undefined when the resource is not allowed. */
  prepareResource(resource: string): string | undefined;
  /** Serialised features added after authentication by modules (e.g. <sm xmlns='urn:xmpp:sm:3'/>). */
  boundFeatures: string[];
  nonzaHandlers: Map<string, NonzaHandler>;
  /** Work still running after a stream ended (session clean-up); shutdown waits for it. */
  background?: Set<Promise<unknown>>;
  /** XEP-0198: resumable sessions; undefined disables stream management. */
  streamManagement?: StreamManagementRegistry;
}
