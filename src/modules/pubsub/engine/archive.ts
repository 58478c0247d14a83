// Message Archive Management on pubsub nodes (XEP-0313 section 4 query by start/end, XEP-0059 paging by
// archive id): a node's items in publish order, so a client that was away catches up on what it
// missed, in order. Access is the item-retrieval rule of XEP-0060 6.5.1.

import type { EngineContext } from './engine-context.js';
import { itemFromRecord, liveRange, readableNode } from './retrieval.js';
import { PubsubErrors, fail, ok, type Result } from './result.js';
import type { ArchivedItem, ArchivePage, ArchiveQuery } from './types.js';
import type { ItemRange, PubsubItemRecord } from '../../../storage/pubsub-store.js';

export const ARCHIVE_DEFAULT_PAGE = 50;
export const ARCHIVE_MAX_PAGE = 250;

function parseArchiveId(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

/** XEP-0313 5.2: paging from an id the archive does not hold is item-not-found, not an empty page. */
async function archivedSeq(ctx: EngineContext, node: string, id: string): Promise<number | undefined> {
  const seq = parseArchiveId(id);
  if (seq === undefined) return undefined;
  const [row] = await ctx.store.queryItems(ctx.service, node, { order: 'oldest-first', afterSeq: seq - 1, beforeSeq: seq + 1, limit: 1 });
  return row ? seq : undefined;
}

export async function queryArchive(
  ctx: EngineContext,
  actor: string,
  node: string | undefined,
  query: ArchiveQuery = {},
): Promise<Result<ArchivePage>> {
  const readable = await readableNode(ctx, actor, node);
  if (!readable.ok) return readable;
  const state = readable.value;
  const live = liveRange(ctx, state);
  const range: ItemRange = { ...live };
  if (query.start !== undefined) range.publishedFrom = Math.max(query.start, live.publishedFrom ?? query.start);
  if (query.end !== undefined) range.publishedTo = query.end;
  const toArchived = (r: PubsubItemRecord): ArchivedItem => ({ ...itemFromRecord(state, r), archiveId: String(r.seq) });

  if (query.ids && query.ids.length > 0) {
    const found = await ctx.store.getItems(ctx.service, state.name, query.ids);
    const items = found
      .filter((r) => (range.publishedFrom ?? -Infinity) <= r.published && r.published <= (range.publishedTo ?? Infinity))
      .sort((a, b) => a.seq - b.seq)
      .map(toArchived);
    return ok({ items, rsm: summary(items, items.length, 0), complete: true });
  }

  const rsm = query.rsm ?? {};
  const max = Math.min(rsm.max ?? ARCHIVE_DEFAULT_PAGE, ARCHIVE_MAX_PAGE);
  const count = await ctx.store.countItems(ctx.service, state.name, range);
  // One more than a page tells whether the result set goes on in the paging direction.
  let rows: PubsubItemRecord[];
  let backwards = false;
  if (rsm.before !== undefined) {
    backwards = true;
    let beforeSeq: number | undefined;
    if (rsm.before !== '') {
      beforeSeq = await archivedSeq(ctx, state.name, rsm.before);
      if (beforeSeq === undefined) return fail(PubsubErrors.itemNotFound('unknown archive id'));
    }
    rows = (await ctx.store.queryItems(ctx.service, state.name, { order: 'newest-first', ...range, beforeSeq, limit: max + 1 })).reverse();
  } else if (rsm.after !== undefined) {
    const afterSeq = await archivedSeq(ctx, state.name, rsm.after);
    if (afterSeq === undefined) return fail(PubsubErrors.itemNotFound('unknown archive id'));
    rows = await ctx.store.queryItems(ctx.service, state.name, { order: 'oldest-first', ...range, afterSeq, limit: max + 1 });
  } else {
    rows = await ctx.store.queryItems(ctx.service, state.name, {
      order: 'oldest-first',
      ...range,
      offset: rsm.index ?? 0,
      limit: max + 1,
    });
  }
  const complete = rows.length <= max;
  if (!complete) rows = backwards ? rows.slice(1) : rows.slice(0, max);
  const items = rows.map(toArchived);
  const firstIndex =
    items.length === 0 ? 0 : (await ctx.store.countItems(ctx.service, state.name, { ...range, beforeSeq: rows[0]!.seq }));
  return ok({ items, rsm: summary(items, count, firstIndex), complete });
}

function summary(items: ArchivedItem[], count: number, firstIndex: number): ArchivePage['rsm'] {
  if (items.length === 0) return { count };
  return { first: items[0]!.archiveId, last: items[items.length - 1]!.archiveId, firstIndex, count };
}
