// Writing subscriptions and telling people about them (XEP-0060 12.11 notification of subscription
// state changes, 8.2.1.1 notify_sub to owners, 12.9 last published item on subscription or approval,
// XEP-0163 section 8 access re-evaluation). Every write goes to the store first, then to the cache.

import { checkAccess } from './access-models.js';
import { bareOf, type EngineContext } from './engine-context.js';
import type { LiveSubscription, NodeState } from './node-state.js';
import type { Notification, Recipient } from './notification.js';
import { ownerRecipients } from './recipients.js';
import type { SubscriptionState } from './types.js';

export async function saveSubscription(ctx: EngineContext, state: NodeState, sub: LiveSubscription): Promise<void> {
  await ctx.store.putSubscription({
    service: ctx.service,
    node: state.name,
    jid: sub.jid,
    subid: sub.subid,
    state: sub.state,
    options: { ...sub.options },
  });
  state.putSubscription(sub);
}

export async function dropSubscription(ctx: EngineContext, state: NodeState, sub: LiveSubscription): Promise<void> {
  await ctx.store.deleteSubscription(ctx.service, state.name, sub.jid, sub.subid);
  state.removeSubscription(sub.jid, sub.subid);
}

function subscriptionEvent(
  ctx: EngineContext,
  state: NodeState,
  sub: LiveSubscription,
  newState: SubscriptionState,
  recipients: Recipient[],
): Notification {
  return {
    kind: 'subscription',
    service: ctx.service,
    node: state.name,
    subscription: { jid: sub.jid, state: newState, subid: sub.subid },
    notificationType: state.config.notification_type,
    recipients,
  };
}

/** Tells the subscriber that an owner (or a policy) changed its subscription (12.11). */
export function notifySubscriber(ctx: EngineContext, state: NodeState, sub: LiveSubscription, newState: SubscriptionState): void {
  ctx.notify(subscriptionEvent(ctx, state, sub, newState, [{ jid: sub.jid, subids: [sub.subid] }]));
}

/** Tells the owners of a subscription change when the node has notify_sub (16.4.4). */
export function notifyOwners(ctx: EngineContext, state: NodeState, sub: LiveSubscription, newState: SubscriptionState): void {
  if (!state.config.notify_sub) return;
  ctx.notify(subscriptionEvent(ctx, state, sub, newState, ownerRecipients(ctx, state)));
}

/** Asks the owners to approve a pending subscription (8.6). */
export function requestAuthorization(ctx: EngineContext, state: NodeState, sub: LiveSubscription): void {
  ctx.notify({
    kind: 'authorization',
    service: ctx.service,
    node: state.name,
    subscription: { jid: sub.jid, state: 'pending', subid: sub.subid },
    notificationType: 'normal',
    recipients: ownerRecipients(ctx, state),
  });
}

/**
 * The last published item addressed to one JID, stamped as delayed; undefined when the node sends no
 * last item, delivers no notifications, or has no item.
 */
export async function lastPublishedFor(
  ctx: EngineContext,
  state: NodeState,
  recipient: Recipient,
  trigger: 'subscription' | 'presence',
): Promise<Notification | undefined> {
  const mode = state.config.send_last_published_item;
  if (mode === 'never' || (trigger === 'presence' && mode !== 'on_sub_and_presence')) return undefined;
  if (!state.config.deliver_notifications || state.itemCount === 0) return undefined;
  const range = state.config.item_expire === 'max' ? {} : { publishedFrom: ctx.now() - state.config.item_expire * 1000 };
  const [last] = await ctx.store.queryItems(ctx.service, state.name, { order: 'newest-first', limit: 1, ...range });
  if (!last) return undefined;
  return {
    kind: 'items',
    service: ctx.service,
    node: state.name,
    items: [
      {
        id: last.id,
        ...(state.config.deliver_payloads ? { payload: last.payload } : {}),
        ...(state.config.itemreply === 'publisher' ? { publisher: last.publisher } : {}),
        published: last.published,
      },
    ],
    delayed: true,
    notificationType: state.config.notification_type,
    recipients: [recipient],
  };
}

/**
 * Cancels the subscriptions whose JIDs no longer pass the access model (after a configuration or
 * affiliation change) and tells each former subscriber (12.11).
 */
export async function revokeLostAccess(ctx: EngineContext, state: NodeState, onlyBare?: string): Promise<void> {
  const subs = onlyBare === undefined ? [...state.allSubscriptions()] : state.subscriptionsOfBare(onlyBare);
  const verdicts = new Map<string, boolean>();
  for (const sub of subs) {
    const bare = bareOf(sub.jid);
    let allowed = verdicts.get(bare);
    if (allowed === undefined) {
      allowed = (await checkAccess(ctx, state, bare, ctx.affiliation(state, bare), 'subscribe')) === undefined;
      verdicts.set(bare, allowed);
    }
    if (allowed) continue;
    await dropSubscription(ctx, state, sub);
    notifySubscriber(ctx, state, sub, 'none');
    notifyOwners(ctx, state, sub, 'none');
  }
}
