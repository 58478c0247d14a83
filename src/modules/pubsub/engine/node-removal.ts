// Deleting a node (XEP-0060 8.4, with redirect and notify_delete) and purging its items (8.5: one
// purge notification instead of a retract per item; publishers may purge per table 4.1).

import { may } from './capabilities.js';
import { bareOf, type EngineContext } from './engine-context.js';
import { ownedNode } from './node-configuration.js';
import type { NodeState } from './node-state.js';
import { everySubscriber, subscriberRecipients } from './recipients.js';
import { PubsubErrors, fail, ok, type Result } from './result.js';

export async function deleteNode(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  redirect?: string,
): Promise<Result<void>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async () => {
    const owned = await ownedNode(ctx, actor, node);
    if (!owned.ok) return owned;
    const state = owned.value;
    await ctx.store.deleteNode(ctx.service, node);
    ctx.forget(node);
    if (state.config.notify_delete && state.config.deliver_notifications) {
      ctx.notify({
        kind: 'delete',
        service: ctx.service,
        node,
        ...(redirect ? { redirect } : {}),
        notificationType: state.config.notification_type,
        recipients: everySubscriber(state),
      });
    }
    return ok(undefined);
  });
}

/** Removes every item and sends one purge notification when the node notifies retractions. */
export async function purgeItemsOf(ctx: EngineContext, state: NodeState): Promise<void> {
  await ctx.store.purgeItems(ctx.service, state.name);
  state.itemCount = 0;
  if (state.config.notify_retract) {
    ctx.notify({
      kind: 'purge',
      service: ctx.service,
      node: state.name,
      notificationType: state.config.notification_type,
      recipients: await subscriberRecipients(ctx, state),
    });
  }
}

export async function purgeNode(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<void>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  return ctx.exclusive(node, async () => {
    const state = await ctx.node(node);
    if (!state) return fail(PubsubErrors.nodeNotFound());
    if (!may(ctx.affiliation(state, bareOf(actor)), 'purge')) return fail(PubsubErrors.forbidden());
    if (!state.config.persist_items) return fail(PubsubErrors.unsupported('persistent-items'));
    await purgeItemsOf(ctx, state);
    return ok(undefined);
  });
}
