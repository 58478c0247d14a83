// The privileges of each affiliation (XEP-0060 section 4.1, table "Affiliations and their
// Privileges"), as one table consulted through may(). Access models (section 4.5) widen what an
// entity without affiliation may do; that is access-models.ts, which builds on this table.

import type { Affiliation } from './types.js';

export type Action =
  | 'subscribe'
  /** Be the subject of a subscription (an outcast or publish-only entity cannot be subscribed). */
  | 'be_subscribed'
  /** Retrieve items whatever the access model. */
  | 'get_items'
  | 'publish'
  | 'retract_own'
  | 'retract_any'
  | 'purge'
  | 'configure'
  | 'delete'
  | 'manage_subscriptions'
  | 'manage_affiliations'
  /** Subscribe, unsubscribe or set options on behalf of another JID (XEP-0060 6.1.3.1 proxy). */
  | 'act_for_others';

type Capabilities = Readonly<Record<Action, boolean>>;

const NOTHING: Capabilities = {
  subscribe: false,
  be_subscribed: false,
  get_items: false,
  publish: false,
  retract_own: false,
  retract_any: false,
  purge: false,
  configure: false,
  delete: false,
  manage_subscriptions: false,
  manage_affiliations: false,
  act_for_others: false,
};

/**
 * Table 4.1. Starred cells: publishers may retract any item and purge (the service MAY allow it);
 * publish-only entities retract only their own items and do not purge.
 */
export const CAPABILITIES: Readonly<Record<Affiliation, Capabilities>> = {
  owner: {
    subscribe: true,
    be_subscribed: true,
    get_items: true,
    publish: true,
    retract_own: true,
    retract_any: true,
    purge: true,
    configure: true,
    delete: true,
    manage_subscriptions: true,
    manage_affiliations: true,
    act_for_others: true,
  },
  publisher: {
    ...NOTHING,
    subscribe: true,
    be_subscribed: true,
    get_items: true,
    publish: true,
    retract_own: true,
    retract_any: true,
    purge: true,
  },
  'publish-only': { ...NOTHING, publish: true, retract_own: true },
  member: { ...NOTHING, subscribe: true, be_subscribed: true, get_items: true },
  none: { ...NOTHING, subscribe: true, be_subscribed: true },
  outcast: NOTHING,
};

export function may(affiliation: Affiliation, action: Action): boolean {
  return CAPABILITIES[affiliation][action];
}

/**
 * The affiliation state chart of 4.1 (a MUST-implement set of transitions): an owner can only resign
 * (to none), and a publisher cannot become a member; the chart says nothing of publish-only, which may
 * change freely.
 */
export function transitionAllowed(from: Affiliation, to: Affiliation): boolean {
  if (from === to) return true;
  if (from === 'owner') return to === 'none';
  if (from === 'publisher') return to !== 'member';
  return true;
}
