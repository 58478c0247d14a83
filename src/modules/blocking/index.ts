// XEP-0191 Blocking Command (1.3): discovery (3.1), block list retrieval (3.2), block (3.3), unblock
// (3.4) and unblock all (3.5), each change pushed to the resources that asked for the list; the list
// is persistent (ctx.stores.blocklist, src/storage/blocklist-store.ts). Enforcement is in the router's hooks (enforcement.ts);
// the presence effects of a change are in presence-effects.ts. Two things a cluster carries
// (src/cluster): which sessions asked for the list, as the session flag 'blocklist' ('session/flag'), so
// a push reaches such a resource on any process; and each change, as 'cache/changed' for the account,
// so other processes drop their copy of its list before the change is answered.

import { randomBytes } from 'node:crypto';
import { xml, type Element } from '../../xml/element.js';
import type { CacheChangeEvent, CacheStaleEvent, ModuleContext, SessionEvent, SessionFlagEvent } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import { bareOf } from '../../core/router.js';
import { fail } from '../../core/stanza-error.js';
import type { IqRequest } from '../../core/iq-dispatcher.js';
import { BlocklistCache } from './blocklist-cache.js';
import { enforceBlocking } from './enforcement.js';
import { presenceAfterBlock, presenceAfterUnblock } from './presence-effects.js';

export const BLOCKING = 'urn:xmpp:blocking';
/** The session flag of resources that requested the block list, and the cache name of block lists. */
export const BLOCKLIST = 'blocklist';

export interface BlockingModule {
  /** The account's blocked JIDs, as enforced. */
  blocked(user: string): Promise<ReadonlySet<string>>;
}

export function blockingModule(ctx: ModuleContext): BlockingModule {
  const lists = new BlocklistCache(ctx.stores.blocklist);
  // 3.3: pushes go to the resources that requested the block list (for as long as their session lives).
  const interested = new WeakSet<ClientSession>();
  ctx.disco.addFeature(BLOCKING);
  enforceBlocking(ctx, lists);

  // Lists are loaded at bind and kept while the account has sessions here (blocklist-cache.ts).
  const pinned = new WeakSet<ClientSession>();
  const pin = ({ session }: SessionEvent) => {
    if (pinned.has(session)) return;
    pinned.add(session);
    lists.pin(session.username);
  };
  ctx.bus.on<SessionEvent>('session-bound', pin);
  ctx.bus.on<SessionEvent>('session-resumed', pin);
  const unpin = ({ session }: SessionEvent) => {
    if (pinned.delete(session)) lists.unpin(session.username);
  };
  ctx.bus.on<SessionEvent>('session-ended', unpin);
  ctx.bus.on<SessionEvent>('session-released', unpin);

  ctx.bus.on<SessionFlagEvent>('session/flag', ({ session, flag, on }) => {
    if (flag !== BLOCKLIST) return;
    if (on) interested.add(session);
    else interested.delete(session);
  });
  ctx.bus.on<CacheStaleEvent>('cache/stale', ({ cache, key }) => {
    if (cache !== undefined && cache !== BLOCKLIST) return;
    if (key === undefined) lists.forgetAll();
    else lists.forget(key);
  });
  /** After a committed change: other processes of a cluster drop their copy before the change is answered. */
  const changed = (user: string) => ctx.bus.broadcast<CacheChangeEvent>('cache/changed', { cache: BLOCKLIST, key: user });

  /** The account of a request; only the account itself manages its list. */
  const ownerOf = ({ from, to }: IqRequest): string => {
    if (bareOf(from) !== to) fail('forbidden');
    return to.slice(0, to.indexOf('@'));
  };

  /** The normalised JIDs of the <item/> children (XEP-0191 schema: jid is required). */
  const itemJids = (payload: Element): string[] =>
    payload.getChildElements().map((item) => {
      if (!item.is('item') || item.attrs.jid === undefined) fail({ condition: 'bad-request', text: 'Each <item/> needs a jid' });
      const jid = ctx.normalizeJid(item.attrs.jid);
      if (jid === undefined) fail('jid-malformed');
      return jid;
    });

  const listElement = (name: string, jids: string[]): Element =>
    xml(name, { xmlns: BLOCKING }, ...jids.map((jid) => xml('item', { jid })));

  function push(user: string, payload: Element): void {
    for (const session of ctx.sessions.resourcesOf(`${user}@${ctx.domain}`)) {
      if (!interested.has(session) || session.closed) continue;
      session.send(xml('iq', { type: 'set', id: `block-${randomBytes(4).toString('hex')}`, to: session.full }, payload.clone()));
    }
  }

  ctx.iq.register('account', 'get', BLOCKING, 'blocklist', async (req) => {
    const user = ownerOf(req);
    if (req.origin && !interested.has(req.origin)) {
      await ctx.bus.broadcast<SessionFlagEvent>('session/flag', { session: req.origin, flag: BLOCKLIST, on: true });
    }
    return listElement('blocklist', [...(await lists.get(user))]);
  });

  ctx.iq.register('account', 'set', BLOCKING, 'block', async (req) => {
    const user = ownerOf(req);
    const jids = itemJids(req.payload);
    // 3.3: a block without items is a bad request.
    if (jids.length === 0) fail({ condition: 'bad-request', text: 'A block names at least one <item/>' });
    const added = await lists.block(user, jids);
    await changed(user);
    push(user, listElement('block', jids));
    await presenceAfterBlock(ctx, user, added);
    return undefined;
  });

  ctx.iq.register('account', 'set', BLOCKING, 'unblock', async (req) => {
    const user = ownerOf(req);
    const jids = itemJids(req.payload);
    // 3.5: an empty unblock unblocks everything.
    const removed = jids.length === 0 ? await lists.unblockAll(user) : await lists.unblock(user, jids);
    await changed(user);
    push(user, listElement('unblock', jids));
    await presenceAfterUnblock(ctx, user, removed);
    return undefined;
  });

  return { blocked: (user) => lists.get(user) };
}
