// One pubsub IQ as the handlers see it (XEP-0060 sections 5-8): the service it is addressed to (the
// generic service or an account's PEP service, same handlers), the requester, the <pubsub/> payload
// and its action element, plus the work to do after the IQ result has gone out.

import type { Element } from '../../xml/element.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { PubsubEngine } from './engine/engine.js';
import type { Notifier } from './engine/notification.js';
import { requestError } from './pubsub-errors.js';
import type { RosterAccess } from './roster-access.js';
import type { StanzaDelivery } from './stanza-delivery.js';

/** Everything the handlers need about the service a request is addressed to. */
export interface ServiceScope {
  readonly ctx: ModuleContext;
  readonly engine: PubsubEngine;
  /** The service address: pubsub.<domain>, or the account's bare JID for PEP. */
  readonly jid: string;
  readonly pep: boolean;
  readonly notifier: Notifier;
  readonly access: RosterAccess;
  readonly delivery: StanzaDelivery;
  /**
   * Refuses (by throwing) a request that would create a node beyond the actor's quota
   * (config pubsub.max_nodes_per_user); `node` may not exist yet.
   */
  checkNodeQuota(actorBare: string, node: string | undefined, creating: boolean): Promise<void>;
  /** Deleted nodes with a redirect (XEP-0060 8.4.1): subscribing to them answers gone (6.1.3.11). */
  readonly moved: Map<string, string>;
}

export interface PubsubRequest {
  scope: ServiceScope;
  stanza: Element;
  /** The requester's full JID. */
  from: string;
  /** The <pubsub/> element (either namespace). */
  pubsub: Element;
  /** Its first child: <subscribe/>, <publish/>, <configure/>, ... */
  action: Element;
  /** Runs after the IQ result was sent (XEP-0060 6.1.7: the last item follows the result). */
  after: Array<() => void | Promise<void>>;
}

/** A JID attribute normalised (RFC 7622); absent stays undefined, malformed is bad-request + `pubsubCondition`. */
export function jidAttribute(r: PubsubRequest, el: Element, name = 'jid', pubsubCondition = 'invalid-jid'): string | undefined {
  const raw = el.attrs[name];
  if (raw === undefined || raw === '') return undefined;
  const normalized = r.scope.ctx.normalizeJid(raw);
  if (normalized === undefined) throw requestError({ condition: 'bad-request', text: `malformed JID ${raw}` }, pubsubCondition);
  return normalized;
}

/** XML Schema booleans as XEP-0060 uses them ('notify' on retract, 8.x boolean fields). */
export function booleanAttribute(el: Element, name: string): boolean {
  const v = el.attrs[name];
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw requestError({ condition: 'bad-request', text: `${name} must be a boolean` });
}

/** NodeIDs and ItemIDs are bounded so that a request cannot make storage keys arbitrarily large. */
export const MAX_ID_LENGTH = 1024;

export function checkId(value: string | undefined, what: string): void {
  if (value !== undefined && value.length > MAX_ID_LENGTH) {
    throw requestError({ condition: 'not-acceptable', text: `${what} longer than ${MAX_ID_LENGTH} characters` });
  }
}
