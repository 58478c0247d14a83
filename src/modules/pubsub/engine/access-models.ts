// Node access models (XEP-0060 section 4.5) on top of the affiliation table (4.1): who may subscribe
// (6.1.3 error cases) and who may retrieve items (6.5.1 permissions, 6.5.9 error cases). Presence and
// roster decisions are asked of the injected AccessPolicy against every owner of the node.

import { may } from './capabilities.js';
import { bareOf, type EngineContext } from './engine-context.js';
import type { NodeState } from './node-state.js';
import { PubsubErrors, type PubsubError } from './result.js';
import type { Affiliation } from './types.js';

export type AccessPurpose = 'subscribe' | 'items';

async function presenceShared(ctx: EngineContext, state: NodeState, bare: string): Promise<boolean> {
  for (const owner of ctx.owners(state)) {
    if (owner === bare || (await ctx.access.hasPresenceSubscription(owner, bare))) return true;
  }
  return false;
}

async function inAllowedGroup(ctx: EngineContext, state: NodeState, bare: string): Promise<boolean> {
  const allowed = new Set(state.config.roster_groups_allowed);
  for (const owner of ctx.owners(state)) {
    if (owner === bare) return true;
    for (const group of await ctx.access.rosterGroupsOf(owner, bare)) if (allowed.has(group)) return true;
  }
  return false;
}

function hasSubscribed(state: NodeState, jid: string): boolean {
  const bare = bareOf(jid);
  const candidates = jid === bare ? state.subscriptionsOf(bare) : [...state.subscriptionsOf(jid), ...state.subscriptionsOf(bare)];
  return candidates.some((s) => s.state === 'subscribed');
}

/**
 * Whether `jid` may subscribe to the node or retrieve its items; undefined when allowed, otherwise the
 * error the spec gives. Owners and publishers always may (section 12.9); members are the whitelist.
 */
export async function checkAccess(
  ctx: EngineContext,
  state: NodeState,
  jid: string,
  affiliation: Affiliation,
  purpose: AccessPurpose,
): Promise<PubsubError | undefined> {
  const action = purpose === 'subscribe' ? 'subscribe' : 'get_items';
  if (affiliation === 'outcast' || affiliation === 'publish-only') return PubsubErrors.forbidden('blocked from this node');
  if (affiliation !== 'none') return may(affiliation, action) ? undefined : PubsubErrors.forbidden();
  const bare = bareOf(jid);
  switch (state.config.access_model) {
    case 'open':
      return undefined;
    case 'presence':
      return (await presenceShared(ctx, state, bare)) ? undefined : PubsubErrors.presenceSubscriptionRequired();
    case 'roster':
      return (await inAllowedGroup(ctx, state, bare)) ? undefined : PubsubErrors.notInRosterGroup();
    case 'authorize':
      // Anyone may ask (the request waits for an owner); only approved subscribers see items.
      if (purpose === 'subscribe') return undefined;
      return hasSubscribed(state, jid) ? undefined : PubsubErrors.notSubscribedItems();
    case 'whitelist':
      return PubsubErrors.closedNode();
  }
}

/** Whether the node is visible to `jid` in disco listings and metadata (XEP-0163 section 6.2). */
export async function canSee(ctx: EngineContext, state: NodeState, jid: string): Promise<boolean> {
  const affiliation = ctx.affiliation(state, bareOf(jid));
  if (affiliation === 'publish-only') return true;
  if (state.config.access_model === 'authorize' && affiliation === 'none') return true;
  return (await checkAccess(ctx, state, jid, affiliation, 'items')) === undefined;
}
