// Retrieving items (XEP-0060 6.5: permissions 6.5.1, all / most recent N / by id, every 6.5.9 error
// case; XEP-0059 RSM paging, newest first) and the last published items for a resource that just
// became available (send_last_published_item on_sub_and_presence, 12.9; XEP-0163 section 4.3.4).

import { checkAccess } from './access-models.js';
import { bareOf, type EngineContext } from './engine-context.js';
import type { NodeState } from './node-state.js';
import type { Notification } from './notification.js';
import { PubsubErrors, fail, ok, type PubsubError, type Result } from './result.js';
import { lastPublishedFor } from './subscription-records.js';
import type { Item, ItemsPage, ItemsQuery, RsmResult } from './types.js';
import type { ItemRange, PubsubItemRecord } from '../../../storage/pubsub-store.js';

export function itemFromRecord(state: NodeState, r: PubsubItemRecord): Item {
  return {
    id: r.id,
    payload: r.payload,
    ...(state.config.itemreply === 'publisher' ? { publisher: r.publisher } : {}),
    published: r.published,
  };
}

/** Items older than item_expire are invisible even before the sweep removes them. */
export function liveRange(ctx: EngineContext, state: NodeState): ItemRange {
  const expire = state.config.item_expire;
  return expire === 'max' ? {} : { publishedFrom: ctx.now() - expire * 1000 };
}

/** The node, if `actor` may read its items (the shared rule of item retrieval and MAM). */
export async function readableNode(ctx: EngineContext, actor: string, node: string | undefined): Promise<Result<NodeState>> {
  if (node === undefined || node === '') return fail(PubsubErrors.nodeidRequired());
  const state = await ctx.node(node);
  if (!state) return fail(PubsubErrors.nodeNotFound());
  const denied = await checkAccess(ctx, state, actor, ctx.affiliation(state, bareOf(actor)), 'items');
  return denied ? fail(denied) : ok(state);
}

/** SubID rules for a subscriber retrieving items (6.5.9.1, 6.5.9.2). */
function checkSubid(ctx: EngineContext, state: NodeState, actor: string, subid: string | undefined): PubsubError | undefined {
  const bare = bareOf(actor);
  const affiliation = ctx.affiliation(state, bare);
  if (affiliation !== 'none' && affiliation !== 'member') return undefined;
  const subs = actor === bare ? state.subscriptionsOf(bare) : [...state.subscriptionsOf(actor), ...state.subscriptionsOf(bare)];
  if (subs.length === 0) return undefined;
  if (subid !== undefined && subid !== '') {
    return subs.some((s) => s.subid === subid) ? undefined : PubsubErrors.invalidSubid();
  }
  return subs.length > 1 ? PubsubErrors.subidRequired() : undefined;
}

async function seqOf(ctx: EngineContext, node: string, id: string): Promise<number | undefined> {
  const [found] = await ctx.store.getItems(ctx.service, node, [id]);
  return found?.seq;
}

export async function getItems(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  query: ItemsQuery = {},
): Promise<Result<ItemsPage>> {
  const readable = await readableNode(ctx, actor, node);
  if (!readable.ok) return readable;
  const state = readable.value;
  const badSubid = checkSubid(ctx, state, actor, query.subid);
  if (badSubid) return fail(badSubid);
  const range = liveRange(ctx, state);
  const toItem = (r: PubsubItemRecord) => itemFromRecord(state, r);

  if (query.itemIds && query.itemIds.length > 0) {
    const found = await ctx.store.getItems(ctx.service, state.name, query.itemIds);
    const live = found.filter((r) => range.publishedFrom === undefined || r.published >= range.publishedFrom);
    return ok({ items: live.sort((a, b) => b.seq - a.seq).map(toItem) });
  }

  const rsm = query.rsm;
  if (!rsm) {
    const items = await ctx.store.queryItems(ctx.service, state.name, {
      order: 'newest-first',
      ...range,
      ...(query.maxItems !== undefined ? { limit: query.maxItems } : {}),
    });
    return ok({ items: items.map(toItem) });
  }

  const count = await ctx.store.countItems(ctx.service, state.name, range);
  const limit = Math.min(rsm.max ?? Number.MAX_SAFE_INTEGER, query.maxItems ?? Number.MAX_SAFE_INTEGER);
  let page: PubsubItemRecord[];
  let firstIndex: number;
  if (rsm.after !== undefined) {
    const seq = await seqOf(ctx, state.name, rsm.after);
    if (seq === undefined) return fail(PubsubErrors.itemNotFound('no such item to page after'));
    page = await ctx.store.queryItems(ctx.service, state.name, { order: 'newest-first', ...range, beforeSeq: seq, limit });
    firstIndex = (await ctx.store.countItems(ctx.service, state.name, { ...range, afterSeq: seq })) + 1;
  } else if (rsm.before !== undefined) {
    let afterSeq: number | undefined;
    if (rsm.before !== '') {
      afterSeq = await seqOf(ctx, state.name, rsm.before);
      if (afterSeq === undefined) return fail(PubsubErrors.itemNotFound('no such item to page before'));
    }
    const older = await ctx.store.queryItems(ctx.service, state.name, { order: 'oldest-first', ...range, afterSeq, limit });
    page = older.reverse();
    firstIndex = page.length === 0 ? count : await ctx.store.countItems(ctx.service, state.name, { ...range, afterSeq: page[0]!.seq });
  } else {
    firstIndex = rsm.index ?? 0;
    page = await ctx.store.queryItems(ctx.service, state.name, { order: 'newest-first', ...range, offset: firstIndex, limit });
  }
  const result: RsmResult = { count };
  if (page.length > 0) {
    result.first = page[0]!.id;
    result.last = page[page.length - 1]!.id;
    result.firstIndex = firstIndex;
  }
  return ok({ items: page.map(toItem), rsm: result });
}

/** Last items for a resource that became available, one notification per node, addressed to it. */
export async function lastItemsOnPresence(ctx: EngineContext, fullJid: string): Promise<Notification[]> {
  const bare = bareOf(fullJid);
  const subidsByNode = new Map<string, string[]>();
  for (const sub of await ctx.store.subscriptionsOf(ctx.service, bare)) {
    if (sub.state !== 'subscribed' || (sub.jid !== bare && sub.jid !== fullJid)) continue;
    if (sub.options['deliver'] === false) continue;
    const list = subidsByNode.get(sub.node);
    if (list) list.push(sub.subid);
    else subidsByNode.set(sub.node, [sub.subid]);
  }
  const out: Notification[] = [];
  for (const [node, subids] of subidsByNode) {
    const state = await ctx.node(node);
    const last = state && (await lastPublishedFor(ctx, state, { jid: fullJid, subids }, 'presence'));
    if (last) out.push(last);
  }
  if (ctx.interest) {
    for (const record of await ctx.store.listNodes(ctx.service)) {
      if (subidsByNode.has(record.node) || !ctx.interest.isInterested(fullJid, record.node)) continue;
      const state = await ctx.node(record.node);
      if (!state) continue;
      if (await checkAccess(ctx, state, bare, ctx.affiliation(state, bare), 'items')) continue;
      const last = await lastPublishedFor(ctx, state, { jid: fullJid, subids: [] }, 'presence');
      if (last) out.push(last);
    }
  }
  return out;
}
