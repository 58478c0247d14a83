// Owner use cases on subscribers and affiliates (XEP-0060 8.6 approving pending subscriptions, 8.7
// get-pending, 8.8 manage subscriptions, 8.9 manage affiliations with the state chart of 4.1). Multi-
// entry changes apply every valid entry and report the others with their unchanged value (8.8.2.4,
// 8.9.2.4); the last owner cannot leave (8.9.2.4).

import { transitionAllowed } from './capabilities.js';
import { bareOf, type EngineContext } from './engine-context.js';
import { ownedNode } from './node-configuration.js';
import type { LiveSubscription, NodeState } from './node-state.js';
import { PubsubErrors, fail, ok, type RejectedEntry, type Result } from './result.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS } from './subscription-options.js';
import {
  dropSubscription,
  lastPublishedFor,
  notifyOwners,
  notifySubscriber,
  revokeLostAccess,
  saveSubscription,
} from './subscription-records.js';
import { AFFILIATIONS, type Affiliation, type AffiliationEntry, type Subscription, type SubscriptionState } from './types.js';

export interface SubscriptionChange {
  jid: string;
  subscription: SubscriptionState;
  subid?: string;
}

export interface AffiliationChange {
  jid: string;
  affiliation: Affiliation;
}

function rejectedAll(rejected: RejectedEntry[]): Result<void> {
  return rejected.length === 0
    ? ok(undefined)
    : fail({ ...PubsubErrors.notAcceptable('some entries were not applied'), rejected });
}

/** Moves a subscription to subscribed, tells the subscriber and owners, sends the last item (12.9). */
async function approveSubscription(ctx: EngineContext, state: NodeState, sub: LiveSubscription): Promise<void> {
  const approved: LiveSubscription = { ...sub, state: 'subscribed' };
  await saveSubscription(ctx, state, approved);
  notifySubscriber(ctx, state, approved, 'subscribed');
  notifyOwners(ctx, state, approved, 'subscribed');
  if (approved.options.deliver) {
    const last = await lastPublishedFor(ctx, state, { jid: approved.jid, subids: [approved.subid] }, 'subscription');
    if (last) ctx.notify(last);
  }
}

export async function getNodeSubscriptions(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<Subscription[]>> {
  const owned = await ownedNode(ctx, actor, node);
  if (!owned.ok) return owned;
  const state = owned.value;
  // Pending requests are listed by get-pending, not here (8.8.1.2).
  return ok([...state.allSubscriptions()].filter((s) => s.state !== 'pending').map((s) => state.toSubscription(s)));
}

async function applySubscriptionChange(
  ctx: EngineContext,
  state: NodeState,
  change: SubscriptionChange,
): Promise<boolean> {
  const subs = state.subscriptionsOf(change.jid);
  const sub = change.subid ? subs.find((s) => s.subid === change.subid) : subs.length === 1 ? subs[0] : undefined;
  if (!sub && (change.subid || subs.length > 1)) return false;
  if (change.subscription === 'none') {
    if (sub) {
      await dropSubscription(ctx, state, sub);
      notifySubscriber(ctx, state, sub, 'none');
      notifyOwners(ctx, state, sub, 'none');
    }
    return true;
  }
  const affiliation = ctx.affiliation(state, bareOf(change.jid));
  if (affiliation === 'outcast' || affiliation === 'publish-only') return false;
  if (!sub) {
    if (change.subscription !== 'subscribed') return false;
    const created: LiveSubscription = { jid: change.jid, subid: ctx.newId(), state: 'pending', options: { ...DEFAULT_SUBSCRIPTION_OPTIONS } };
    await approveSubscription(ctx, state, created);
    return true;
  }
  if (sub.state === change.subscription) return true;
  if (change.subscription === 'subscribed') await approveSubscription(ctx, state, sub);
  else {
    const updated = { ...sub, state: change.subscription };
    await saveSubscription(ctx, state, updated);
    notifySubscriber(ctx, state, updated, change.subscription);
  }
  return true;
}

export async function setNodeSubscriptions(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  changes: SubscriptionChange[],
): Promise<Result<void>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async () => {
    const owned = await ownedNode(ctx, actor, node);
    if (!owned.ok) return owned;
    const state = owned.value;
    const rejected: RejectedEntry[] = [];
    for (const change of changes) {
      if (change.jid && (await applySubscriptionChange(ctx, state, change))) continue;
      const current = change.subid
        ? state.subscriptionsOf(change.jid).find((s) => s.subid === change.subid)
        : state.subscriptionsOf(change.jid)[0];
      rejected.push({ jid: change.jid, ...(change.subid ? { subid: change.subid } : {}), subscription: current?.state ?? 'none' });
    }
    return rejectedAll(rejected);
  });
}

export async function getNodeAffiliations(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<AffiliationEntry[]>> {
  const owned = await ownedNode(ctx, actor, node);
  if (!owned.ok) return owned;
  const state = owned.value;
  return ok([...state.affiliations].map(([jid, affiliation]) => ({ node: state.name, jid, affiliation })));
}

export async function setNodeAffiliations(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  changes: AffiliationChange[],
): Promise<Result<void>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const bares = changes.map((c) => bareOf(c.jid));
  if (new Set(bares).size !== bares.length) return fail(PubsubErrors.badRequest('an entity is listed twice'));
  if (changes.some((c) => !c.jid || !AFFILIATIONS.includes(c.affiliation))) return fail(PubsubErrors.badRequest('invalid affiliation entry'));
  return ctx.exclusive(node, async () => {
    const owned = await ownedNode(ctx, actor, node);
    if (!owned.ok) return owned;
    const state = owned.value;
    const owners = new Set(state.withAffiliation('owner'));
    for (const [i, c] of changes.entries()) {
      if (c.affiliation === 'owner') owners.add(bares[i]!);
      else owners.delete(bares[i]!);
    }
    // Without an owner left, the demotions of owners are the invalid entries (8.9.2.4).
    const keepOwners = owners.size === 0 && !ctx.options.pep;
    const rejected: RejectedEntry[] = [];
    const applied: string[] = [];
    for (const [i, c] of changes.entries()) {
      const bare = bares[i]!;
      const before = state.affiliationOf(bare) ?? 'none';
      const orphans = keepOwners && before === 'owner' && c.affiliation !== 'owner';
      if (orphans || !transitionAllowed(before, c.affiliation)) {
        rejected.push({ jid: bare, affiliation: before });
        continue;
      }
      await ctx.store.setAffiliation(ctx.service, node, bare, c.affiliation);
      state.setAffiliation(bare, c.affiliation);
      applied.push(bare);
    }
    for (const bare of applied) {
      const now = ctx.affiliation(state, bare);
      // Owners and publishers skip the approval queue (8.7.3 note); outcasts lose theirs.
      if (now === 'owner' || now === 'publisher') {
        for (const sub of state.subscriptionsOfBare(bare)) if (sub.state === 'pending') await approveSubscription(ctx, state, sub);
      }
      await revokeLostAccess(ctx, state, bare);
    }
    return rejectedAll(rejected);
  });
}

/** Nodes whose pending subscriptions the actor may decide (8.7.2). */
export async function getPendingNodes(ctx: EngineContext, actor: string): Promise<Result<string[]>> {
  const bare = bareOf(actor);
  if (ctx.isServiceAdmin(bare)) return ok((await ctx.store.listNodes(ctx.service)).map((n) => n.node));
  const affs = await ctx.store.affiliationsOf(ctx.service, bare);
  return ok(affs.filter((a) => a.affiliation === 'owner').map((a) => a.node));
}

export async function getPending(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<Subscription[]>> {
  const owned = await ownedNode(ctx, actor, node);
  // The get-pending example of 8.7.3.3 gives forbidden with type cancel.
  if (!owned.ok) return owned.error.condition === 'forbidden' ? fail({ ...owned.error, type: 'cancel' }) : owned;
  const state = owned.value;
  return ok([...state.allSubscriptions()].filter((s) => s.state === 'pending').map((s) => state.toSubscription(s)));
}

/** An owner's answer to an authorization request (8.6): allow subscribes, deny removes. */
export async function decidePending(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string,
  subid: string | undefined,
  allow: boolean,
): Promise<Result<Subscription>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async (): Promise<Result<Subscription>> => {
    const owned = await ownedNode(ctx, actor, node);
    if (!owned.ok) return owned;
    const state = owned.value;
    const pending = state.subscriptionsOf(jid).filter((s) => s.state === 'pending' && (!subid || s.subid === subid));
    if (pending.length === 0) return fail(PubsubErrors.notSubscribedOptions('no pending subscription'));
    if (pending.length > 1) return fail(PubsubErrors.subidRequired());
    const sub = pending[0]!;
    if (allow) {
      await approveSubscription(ctx, state, sub);
      return ok({ ...state.toSubscription(sub), state: 'subscribed' });
    }
    await dropSubscription(ctx, state, sub);
    notifySubscriber(ctx, state, sub, 'none');
    return ok({ ...state.toSubscription(sub), state: 'none' });
  });
}
