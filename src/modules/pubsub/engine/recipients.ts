// Who receives a notification (XEP-0060 12.3 intended recipients, 12.7 presence-based delivery,
// 6.3 deliver and show-values options, 6.1.6 one notification per JID with several subids; XEP-0163
// section 4.3 PEP: implicit subscribers from caps '+notify', notifications to full JIDs of the
// interested resources). One pass over the cached deliverable set; presence lookups only when the node
// or a subscription asks for them.

import { checkAccess } from './access-models.js';
import { bareOf, type EngineContext } from './engine-context.js';
import type { NodeState } from './node-state.js';
import type { Recipient } from './notification.js';

function wantsShow(ctx: EngineContext, jid: string, shows: ReadonlySet<string>): boolean {
  const showOf = ctx.presence.showOf;
  if (!showOf) return true;
  const resources = jid.includes('/') ? [jid] : ctx.presence.availableResources(jid);
  return resources.some((r) => {
    const show = showOf.call(ctx.presence, r);
    return show !== undefined && shows.has(show);
  });
}

/** Recipients of item, retract, purge and configuration notifications. */
export async function subscriberRecipients(ctx: EngineContext, state: NodeState): Promise<Recipient[]> {
  if (!state.config.deliver_notifications) return [];
  const presenceBased = state.config.presence_based_delivery;
  const out: Recipient[] = [];
  for (const target of state.deliveryTargets(ctx.now())) {
    if (presenceBased && !ctx.presence.isAvailable(target.jid)) continue;
    if (target.shows && !wantsShow(ctx, target.jid, target.shows)) continue;
    out.push(target);
  }
  return ctx.interest ? withImplicitSubscribers(ctx, state, out) : out;
}

/**
 * PEP: adds the resources whose caps ask for this node and whose bare JID may see its items; a bare-JID
 * subscription with such resources is delivered to those full JIDs instead of the bare JID.
 */
async function withImplicitSubscribers(
  ctx: EngineContext,
  state: NodeState,
  explicit: Recipient[],
): Promise<Recipient[]> {
  const interested = ctx.interest!.interestedResources(state.name);
  if (interested.length === 0) return explicit;
  const allowedBare = new Map<string, boolean>();
  const resourcesByBare = new Map<string, string[]>();
  for (const full of interested) {
    const bare = bareOf(full);
    let allowed = allowedBare.get(bare);
    if (allowed === undefined) {
      allowed = (await checkAccess(ctx, state, bare, ctx.affiliation(state, bare), 'items')) === undefined;
      allowedBare.set(bare, allowed);
    }
    if (!allowed) continue;
    const list = resourcesByBare.get(bare);
    if (list) list.push(full);
    else resourcesByBare.set(bare, [full]);
  }
  const out: Recipient[] = [];
  const covered = new Set<string>();
  for (const r of explicit) {
    const expanded = r.jid.includes('/') ? undefined : resourcesByBare.get(r.jid);
    if (expanded) {
      for (const full of expanded) {
        out.push({ jid: full, subids: r.subids });
        covered.add(full);
      }
    } else {
      out.push(r);
      covered.add(r.jid);
    }
  }
  for (const list of resourcesByBare.values()) {
    for (const full of list) if (!covered.has(full)) out.push({ jid: full, subids: [] });
  }
  return out;
}

/** Recipients of a node deletion: every subscription, pending and unconfigured included (8.4.2). */
export function everySubscriber(state: NodeState): Recipient[] {
  const out: Recipient[] = [];
  for (const [jid, subs] of state.subscriptions) out.push({ jid, subids: [...subs.keys()] });
  return out;
}

/** The owners, for notify_sub and authorization requests (XEP-0060 8.6, 12.11). */
export function ownerRecipients(ctx: EngineContext, state: NodeState): Recipient[] {
  return ctx.owners(state).map((jid) => ({ jid, subids: [] }));
}
