// Node discovery for the handler's disco#items and disco#info (XEP-0060 5.2 nodes, 5.4 meta-data with
// the pubsub#meta-data fields; XEP-0163 section 6.2: only nodes the asker may subscribe to or read).
// Listing uses the store's per-entity affiliation index, so it does not load every node.

import { canSee } from './access-models.js';
import { bareOf, type EngineContext } from './engine-context.js';
import { configFromStored, copyConfig } from './node-config.js';
import { PubsubErrors, fail, ok, type Result } from './result.js';
import type { NodeListing, NodeMetadata } from './types.js';

export async function listNodes(ctx: EngineContext, actor: string): Promise<Result<NodeListing[]>> {
  const bare = bareOf(actor);
  const records = await ctx.store.listNodes(ctx.service);
  const admin = ctx.isServiceAdmin(bare);
  const mine = new Map((await ctx.store.affiliationsOf(ctx.service, bare)).map((a) => [a.node, a.affiliation]));
  const out: NodeListing[] = [];
  for (const record of records) {
    const config = configFromStored(record.config, ctx.defaults);
    const affiliation = mine.get(record.node);
    let visible: boolean;
    if (admin) visible = true;
    else if (affiliation === 'outcast') visible = false;
    else if (affiliation !== undefined) visible = true;
    else if (config.access_model === 'open' || config.access_model === 'authorize') visible = true;
    else if (config.access_model === 'whitelist') visible = false;
    else {
      const state = await ctx.node(record.node);
      visible = state !== undefined && (await canSee(ctx, state, actor));
    }
    if (visible) out.push({ node: record.node, title: config.title });
  }
  return ok(out);
}

/** Node meta-data; a node the asker may not see answers item-not-found, as if it did not exist. */
export async function getNodeMetadata(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<NodeMetadata>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const state = await ctx.node(node);
  if (!state || !(await canSee(ctx, state, actor))) return fail(PubsubErrors.nodeNotFound());
  return ok({
    node,
    config: copyConfig(state.config),
    creator: state.creator,
    created: state.created,
    owners: ctx.owners(state),
    publishers: state.withAffiliation('publisher'),
    numSubscribers: state.numSubscribers(),
  });
}
