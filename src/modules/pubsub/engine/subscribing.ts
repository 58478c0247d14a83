// Subscriber use cases (XEP-0060 6.1 subscribe with every error case, approval, multi-subscribe and
// the last published item; 6.2 unsubscribe; 6.3 subscription options; 6.4 default options) and the
// entity use cases 5.6 / 5.7 (an entity's own subscriptions and affiliations).

import { may } from './capabilities.js';
import { checkAccess } from './access-models.js';
import { bareOf, type EngineContext } from './engine-context.js';
import type { LiveSubscription, NodeState } from './node-state.js';
import type { Notification } from './notification.js';
import { PubsubErrors, fail, ok, type Result } from './result.js';
import {
  DEFAULT_SUBSCRIPTION_OPTIONS,
  optionsFromStored,
  parseSubscriptionOptions,
  sameOptions,
  type SubscriptionOptions,
} from './subscription-options.js';
import {
  dropSubscription,
  lastPublishedFor,
  notifyOwners,
  requestAuthorization,
  saveSubscription,
} from './subscription-records.js';
import type { AffiliationEntry, Subscription } from './types.js';

export interface SubscribeOutcome {
  subscription: Subscription;
  /**
   * The last published item for the new subscriber (send_last_published_item on_sub or
   * on_sub_and_presence). The handler sends it after the IQ result, so the client sees its
   * subscription confirmed first.
   */
  lastPublished?: Notification;
}

/** Acting for another JID needs proxy rights: a service admin or an owner of the node. */
function mayActFor(ctx: EngineContext, state: NodeState, actor: string, jid: string): boolean {
  const actorBare = bareOf(actor);
  return actorBare === bareOf(jid) || may(ctx.affiliation(state, actorBare), 'act_for_others');
}

function nodeOptionsDefaults(state: NodeState | undefined): SubscriptionOptions {
  const base = { ...DEFAULT_SUBSCRIPTION_OPTIONS, 'show-values': [...DEFAULT_SUBSCRIPTION_OPTIONS['show-values']] };
  // A node with tempsub makes every subscription temporary (XEP-0060 12.4).
  if (state?.config.tempsub) base.expire = 'presence';
  return base;
}

export async function subscribe(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string | undefined,
  rawOptions?: Record<string, unknown>,
): Promise<Result<SubscribeOutcome>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  if (jid === undefined || jid === '') return fail(PubsubErrors.jidRequired());
  return ctx.exclusive(node, async (): Promise<Result<SubscribeOutcome>> => {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    if (!mayActFor(ctx, state, actor, jid)) return fail(PubsubErrors.invalidJid('the JID is not the requester'));
    const options = parseSubscriptionOptions(rawOptions ?? {}, nodeOptionsDefaults(state));
    if (!options.ok) return options;
    if (state.config.tempsub) options.value.expire = 'presence';
    if (!state.config.subscribe) return fail(PubsubErrors.unsupported('subscribe'));
    const affiliation = ctx.affiliation(state, bareOf(jid));
    const denied = await checkAccess(ctx, state, jid, affiliation, 'subscribe');
    if (denied) return fail(denied);

    const existing = state.subscriptionsOf(jid);
    if (existing.some((s) => s.state === 'pending')) return fail(PubsubErrors.pendingSubscription());
    // The same subscription again answers with its current state (6.1.6), and sends the last item again.
    let sub = existing.find((s) => sameOptions(s.options, options.value));
    if (!sub) {
      if (existing.length >= ctx.options.maxSubscriptionsPerJid) return fail(PubsubErrors.tooManySubscriptions());
      const needsApproval = state.config.access_model === 'authorize' && affiliation === 'none';
      sub = { jid, subid: ctx.newId(), state: needsApproval ? 'pending' : 'subscribed', options: options.value };
      await saveSubscription(ctx, state, sub);
      if (needsApproval) {
        requestAuthorization(ctx, state, sub);
        return ok({ subscription: state.toSubscription(sub) });
      }
      notifyOwners(ctx, state, sub, 'subscribed');
    }
    const lastPublished =
      sub.state === 'subscribed' && sub.options.deliver
        ? await lastPublishedFor(ctx, state, { jid, subids: [sub.subid] }, 'subscription')
        : undefined;
    return ok({ subscription: state.toSubscription(sub), ...(lastPublished ? { lastPublished } : {}) });
  });
}

/** Finds the one subscription a request designates (6.2.3, 6.3.4 subid rules). */
function designated(
  subs: LiveSubscription[],
  subid: string | undefined,
  notSubscribed: () => ReturnType<typeof PubsubErrors.notSubscribedOptions>,
): Result<LiveSubscription> {
  if (subs.length === 0) return fail(notSubscribed());
  if (subid !== undefined && subid !== '') {
    const sub = subs.find((s) => s.subid === subid);
    return sub ? ok(sub) : fail(PubsubErrors.invalidSubid());
  }
  if (subs.length > 1) return fail(PubsubErrors.subidRequired());
  return ok(subs[0]!);
}

export async function unsubscribe(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string | undefined,
  subid?: string,
): Promise<Result<Subscription>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  if (jid === undefined || jid === '') return fail(PubsubErrors.jidRequired());
  return ctx.exclusive(node, async (): Promise<Result<Subscription>> => {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    if (!mayActFor(ctx, state, actor, jid)) return fail(PubsubErrors.forbidden('may not unsubscribe that JID'));
    const found = designated(state.subscriptionsOf(jid), subid, PubsubErrors.notSubscribedUnsubscribe);
    if (!found.ok) return found;
    const sub = found.value;
    await dropSubscription(ctx, state, sub);
    notifyOwners(ctx, state, sub, 'none');
    return ok({ ...state.toSubscription(sub), state: 'none' });
  });
}

async function ownSubscription(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string | undefined,
  subid: string | undefined,
): Promise<Result<{ state: NodeState; sub: LiveSubscription }>> {
  if (jid === undefined || jid === '') return fail(PubsubErrors.jidRequired());
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const state = await ctx.node(node);
  if (!state) return fail(PubsubErrors.nodeNotFound());
  if (!mayActFor(ctx, state, actor, jid)) return fail(PubsubErrors.forbidden('may not see that subscription'));
  const found = designated(state.subscriptionsOf(jid), subid, PubsubErrors.notSubscribedOptions);
  return found.ok ? ok({ state, sub: found.value }) : found;
}

export async function getSubscriptionOptions(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string | undefined,
  subid?: string,
): Promise<Result<Subscription>> {
  const found = await ownSubscription(ctx, actor, node, jid, subid);
  return found.ok ? ok(found.value.state.toSubscription(found.value.sub)) : found;
}

export async function setSubscriptionOptions(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  jid: string | undefined,
  subid: string | undefined,
  rawOptions: Record<string, unknown>,
): Promise<Result<Subscription>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async (): Promise<Result<Subscription>> => {
    const found = await ownSubscription(ctx, actor, node, jid, subid);
    if (!found.ok) return found;
    const { state, sub } = found.value;
    const options = parseSubscriptionOptions(rawOptions, sub.options);
    if (!options.ok) return options;
    if (state.config.tempsub) options.value.expire = 'presence';
    const updated: LiveSubscription = {
      ...sub,
      state: sub.state === 'unconfigured' ? 'subscribed' : sub.state,
      options: options.value,
    };
    await saveSubscription(ctx, state, updated);
    return ok(state.toSubscription(updated));
  });
}

export async function getDefaultSubscriptionOptions(
  ctx: EngineContext,
  node?: string,
): Promise<Result<SubscriptionOptions>> {
  if (node === undefined || node === '') return ok(nodeOptionsDefaults(undefined));
  const state = await ctx.node(node);
  return state ? ok(nodeOptionsDefaults(state)) : fail(PubsubErrors.nodeNotFound());
}

/** The requesting entity's subscriptions, for every JID with its bare JID (5.6). */
export async function getSubscriptions(ctx: EngineContext, actor: string, node?: string): Promise<Result<Subscription[]>> {
  const bare = bareOf(actor);
  if (node !== undefined && node !== '') {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    return ok(state.subscriptionsOfBare(bare).map((s) => state.toSubscription(s)));
  }
  const records = await ctx.store.subscriptionsOf(ctx.service, bare);
  return ok(
    records.map((r) => ({ node: r.node, jid: r.jid, subid: r.subid, state: r.state, options: optionsFromStored(r.options) })),
  );
}

/** The requesting entity's affiliations (5.7); 'none' is never listed. */
export async function getAffiliations(
  ctx: EngineContext,
  actor: string,
  node?: string,
): Promise<Result<AffiliationEntry[]>> {
  const bare = bareOf(actor);
  if (node !== undefined && node !== '') {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    const affiliation = ctx.affiliation(state, bare);
    return ok(affiliation === 'none' ? [] : [{ node, jid: bare, affiliation }]);
  }
  const records = await ctx.store.affiliationsOf(ctx.service, bare);
  return ok(records.map((r) => ({ node: r.node, jid: r.jid, affiliation: r.affiliation })));
}
