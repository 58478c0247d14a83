// XEP-0191 Blocking Command (1.3): discovery (3.1), block list retrieval (3.2), block (3.3), unblock
// (3.4) and unblock all (3.5), each change pushed to the resources that asked for the list; the list
// is persistent (ctx.stores.blocklist, src/storage/blocklist-store.ts). Enforcement is in the router's hooks (enforcement.ts);
// the presence effects of a change are in presence-effects.ts.

import { randomBytes } from 'node:crypto';
import { xml, type Element } from '../../xml/element.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import { bareOf } from '../../core/router.js';
import { fail } from '../../core/stanza-error.js';
import type { IqRequest } from '../../core/iq-dispatcher.js';
import { BlocklistCache } from './blocklist-cache.js';
import { enforceBlocking } from './enforcement.js';
import { presenceAfterBlock, presenceAfterUnblock } from './presence-effects.js';

export const BLOCKING = 'urn:xmpp:blocking';

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
    if (req.origin) interested.add(req.origin);
    return listElement('blocklist', [...(await lists.get(user))]);
  });

  ctx.iq.register('account', 'set', BLOCKING, 'block', async (req) => {
    const user = ownerOf(req);
    const jids = itemJids(req.payload);
    // 3.3: a block without items is a bad request.
    if (jids.length === 0) fail({ condition: 'bad-request', text: 'A block names at least one <item/>' });
    const added = await lists.block(user, jids);
    push(user, listElement('block', jids));
    await presenceAfterBlock(ctx, user, added);
    return undefined;
  });

  ctx.iq.register('account', 'set', BLOCKING, 'unblock', async (req) => {
    const user = ownerOf(req);
    const jids = itemJids(req.payload);
    // 3.5: an empty unblock unblocks everything.
    const removed = jids.length === 0 ? await lists.unblockAll(user) : await lists.unblock(user, jids);
    push(user, listElement('unblock', jids));
    await presenceAfterUnblock(ctx, user, removed);
    return undefined;
  });

  return { blocked: (user) => lists.get(user) };
}
