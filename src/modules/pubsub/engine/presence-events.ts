// Reactions to presence and time (XEP-0060 12.4 temporary subscriptions cancelled on unavailable
// presence, 16.4.4 purge_offline when the publisher's last resource leaves, item_expire sweeps).
// The handler calls these; each change goes through the node's lock like any other write.

import { bareOf, type EngineContext } from './engine-context.js';
import { configFromStored } from './node-config.js';
import { purgeItemsOf } from './node-removal.js';
import { dropSubscription, notifyOwners } from './subscription-records.js';

/** A resource went unavailable (the presence view already reflects it). */
export async function entityUnavailable(ctx: EngineContext, fullJid: string): Promise<void> {
  const bare = bareOf(fullJid);
  const allGone = ctx.presence.availableResources(bare).length === 0;
  for (const record of await ctx.store.subscriptionsOf(ctx.service, bare)) {
    if (record.options['expire'] !== 'presence') continue;
    if (record.jid !== fullJid && !(record.jid === bare && allGone)) continue;
    await ctx.exclusive(record.node, async () => {
      const state = await ctx.node(record.node);
      const sub = state?.subscriptionsOf(record.jid).find((s) => s.subid === record.subid);
      if (!state || !sub) return;
      await dropSubscription(ctx, state, sub);
      notifyOwners(ctx, state, sub, 'none');
    });
  }
  if (!allGone) return;
  for (const aff of await ctx.store.affiliationsOf(ctx.service, bare)) {
    if (aff.affiliation !== 'owner' && aff.affiliation !== 'publisher' && aff.affiliation !== 'publish-only') continue;
    await ctx.exclusive(aff.node, async () => {
      const state = await ctx.node(aff.node);
      if (state?.config.purge_offline && state.config.persist_items && state.itemCount > 0) await purgeItemsOf(ctx, state);
    });
  }
}

/** Removes items older than their node's item_expire; resolves with how many went. */
export async function expireItems(ctx: EngineContext): Promise<number> {
  let removed = 0;
  for (const record of await ctx.store.listNodes(ctx.service)) {
    const expire = configFromStored(record.config, ctx.defaults).item_expire;
    if (expire === 'max') continue;
    await ctx.exclusive(record.node, async () => {
      const state = await ctx.node(record.node);
      if (!state || state.config.item_expire === 'max') return;
      const gone = await ctx.store.deleteItemsPublishedBefore(ctx.service, state.name, ctx.now() - state.config.item_expire * 1000);
      state.itemCount -= gone.length;
      removed += gone.length;
    });
  }
  return removed;
}
