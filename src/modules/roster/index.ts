// RFC 6121 section 2: roster get (2.2) with versioning (2.6), roster set and remove (2.3-2.5).

import type { ModuleContext } from '../../core/module-context.js';
import { fail } from '../../core/stanza-error.js';
import { NS } from '../../protocol/namespaces.js';
import { bareOf } from '../../core/router.js';
import { rosterItemElement, rosterQuery } from './roster-xml.js';
import { RosterService } from './roster-service.js';
import type { RosterItem } from '../../storage/roster-store.js';

export function rosterModule(ctx: ModuleContext, roster: RosterService): void {
  ctx.addStreamFeature(`<ver xmlns='${NS.ROSTER_VER}'/>`);
  ctx.addStreamFeature(`<sub xmlns='${NS.PRE_APPROVAL}'/>`);

  const ownerOf = (from: string, to: string): string => {
    // 2.1.5: only the account itself may read or change its roster.
    if (bareOf(from) !== to) fail('forbidden');
    return to.slice(0, to.indexOf('@'));
  };

  ctx.iq.register('account', 'get', NS.ROSTER, 'query', async ({ from, to, payload, origin }) => {
    const user = ownerOf(from, to);
    if (payload.getChildElements().length > 0) fail('bad-request');
    const current = await ctx.stores.roster.getRoster(user);
    if (origin) origin.interestedInRoster = true;
    const ver = payload.attrs.ver;
    // 2.6.3: an unchanged roster is answered with an empty result; changes arrive as pushes.
    if (ver !== undefined && ver === String(current.version)) return undefined;
    return rosterQuery(current.version, current.items.map(rosterItemElement));
  });

  ctx.iq.register('account', 'set', NS.ROSTER, 'query', async ({ from, to, payload }) => {
    const user = ownerOf(from, to);
    const items = payload.getChildElements();
    // 2.3.3: a roster set contains exactly one item.
    if (items.length !== 1 || !items[0]!.is('item')) fail({ condition: 'bad-request', text: 'A roster set has one <item/>' });
    const el = items[0]!;
    const jid = el.attrs.jid === undefined ? undefined : ctx.normalizeJid(el.attrs.jid);
    if (jid === undefined) fail('bad-request');
    if (jid.includes('/')) fail({ condition: 'bad-request', text: 'Roster items are bare JIDs' });
    const sub = el.attrs.subscription;
    if (sub === 'remove') {
      await removeItem(user, jid);
      return undefined;
    }
    if (sub !== undefined && sub !== 'none' && sub !== 'both' && sub !== 'from' && sub !== 'to') fail('bad-request');
    const groups = el.getChildren('group').map((g) => g.text());
    // 2.3.3: empty group names are not acceptable, duplicates are bad requests.
    if (groups.some((g) => g.trim() === '')) fail('not-acceptable');
    if (new Set(groups).size !== groups.length) fail('bad-request');
    if (el.attrs.name !== undefined && el.attrs.name.length > 1023) fail('not-acceptable');
    const existing = await roster.get(user, jid);
    const item: RosterItem = existing
      ? { ...existing, name: el.attrs.name, groups }
      : { jid, name: el.attrs.name, subscription: 'none', ask: false, approved: false, groups };
    await roster.set(user, item);
    return undefined;
  });

  /** 2.5.2: removing an item also cancels both directions of the subscription. */
  async function removeItem(user: string, jid: string): Promise<void> {
    const existing = await roster.get(user, jid);
    if (!existing) fail('item-not-found');
    const bare = `${user}@${ctx.domain}`;
    await roster.remove(user, jid);
    if (existing.subscription === 'to' || existing.subscription === 'both' || existing.ask) {
      await ctx.bus.emit('presence/subscription-out', { user, contact: jid, type: 'unsubscribe', from: bare });
    }
    if (existing.subscription === 'from' || existing.subscription === 'both') {
      await ctx.bus.emit('presence/subscription-out', { user, contact: jid, type: 'unsubscribed', from: bare });
    }
  }
}
