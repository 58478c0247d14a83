// XEP-0191 sections 3.3 and 3.4: blocking a JID sends it the user's unavailable presence, unblocking
// sends it the user's current presence, each only to addresses allowed to see the user's presence
// (RFC 6121: a 'from' or 'both' subscription, or directed presence the user sent).

import { xml } from '../../xml/element.js';
import type { ModuleContext } from '../../core/module-context.js';
import { bareOf } from '../../core/router.js';
import { blockKeys } from './jid-matching.js';

/** The addresses under block entry `jid` that may see the user's presence. */
async function presenceWatchers(ctx: ModuleContext, user: string, jid: string): Promise<string[]> {
  const { items } = await ctx.stores.roster.getRoster(user);
  const out: string[] = [];
  for (const item of items) {
    if (item.subscription !== 'from' && item.subscription !== 'both') continue;
    if (blockKeys(item.jid).includes(jid)) out.push(item.jid); // the entry covers the contact
    else if (bareOf(jid) === item.jid) out.push(jid); // the entry is one resource of the contact
  }
  return out;
}

export async function presenceAfterBlock(ctx: ModuleContext, user: string, blocked: string[]): Promise<void> {
  const sessions = ctx.sessions.availableResourcesOf(`${user}@${ctx.domain}`);
  if (sessions.length === 0 || blocked.length === 0) return;
  for (const jid of blocked) {
    for (const to of await presenceWatchers(ctx, user, jid)) {
      for (const s of sessions) void ctx.router.route(xml('presence', { from: s.full, to, type: 'unavailable' }));
    }
    // Directed presence (RFC 6121 4.6) to a now blocked address is withdrawn the same way.
    for (const s of sessions) {
      for (const to of [...s.directedPresence]) {
        if (!blockKeys(to).includes(jid)) continue;
        s.directedPresence.delete(to);
        void ctx.router.route(xml('presence', { from: s.full, to, type: 'unavailable' }));
      }
    }
  }
}

export async function presenceAfterUnblock(ctx: ModuleContext, user: string, unblocked: string[]): Promise<void> {
  const sessions = ctx.sessions.availableResourcesOf(`${user}@${ctx.domain}`);
  if (sessions.length === 0 || unblocked.length === 0) return;
  for (const jid of unblocked) {
    for (const to of await presenceWatchers(ctx, user, jid)) {
      for (const s of sessions) {
        const p = (s.presence ?? xml('presence')).clone();
        p.attrs.from = s.full;
        p.attrs.to = to;
        void ctx.router.route(p);
      }
    }
  }
}
