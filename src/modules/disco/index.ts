// XEP-0030 service discovery for the server and for accounts (the server answers for a bare JID),
// XEP-0128 extended info is left to the modules that own a service.

import { xml } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { fail } from '../../core/stanza-error.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { DiscoIdentity } from '../../core/disco-registry.js';
import { bareOf } from '../../core/router.js';
import { CAPS_NODE, capsVerification } from './entity-caps.js';

export function infoQuery(node: string | undefined, identities: DiscoIdentity[], features: Iterable<string>) {
  const attrs: Record<string, string> = { xmlns: NS.DISCO_INFO };
  if (node) attrs.node = node;
  const q = xml('query', attrs);
  for (const i of identities) {
    const a: Record<string, string> = { category: i.category, type: i.type };
    if (i.name) a.name = i.name;
    q.append(xml('identity', a));
  }
  for (const f of [...features].sort()) q.append(xml('feature', { var: f }));
  return q;
}

export function discoModule(ctx: ModuleContext): void {
  ctx.disco.addIdentity({ category: 'server', type: 'im', name: 'almanac' });
  ctx.disco.addFeature(NS.DISCO_INFO);
  ctx.disco.addFeature(NS.DISCO_ITEMS);
  ctx.disco.addAccountFeature(NS.DISCO_INFO);
  ctx.disco.addAccountFeature(NS.DISCO_ITEMS);
  ctx.disco.accountIdentities.push({ category: 'account', type: 'registered' });

  ctx.iq.register('host', 'get', NS.DISCO_INFO, 'query', ({ payload }) => {
    const node = payload.attrs.node;
    // XEP-0115 section 6.2: the caps node#ver we advertise is answered like the plain query.
    if (node && node !== `${CAPS_NODE}#${capsVerification(ctx.disco.identities, ctx.disco.features)}`) fail('item-not-found');
    return infoQuery(node, ctx.disco.identities, ctx.disco.features);
  });

  ctx.iq.register('host', 'get', NS.DISCO_ITEMS, 'query', ({ payload }) => {
    if (payload.attrs.node) fail('item-not-found');
    const q = xml('query', { xmlns: NS.DISCO_ITEMS });
    for (const [jid, name] of ctx.disco.items) q.append(xml('item', name ? { jid, name } : { jid }));
    return q;
  });

  // An account's bare JID (RFC 6121 / XEP-0030 section 3.1): answered by the server, and only to
  // the account itself or to contacts allowed to see its presence.
  ctx.iq.register('account', 'get', NS.DISCO_INFO, 'query', async ({ from, to, payload }) => {
    if (payload.attrs.node) fail('item-not-found');
    const owner = to.slice(0, to.indexOf('@'));
    if (!(await ctx.stores.accounts.exists(owner))) fail('service-unavailable');
    if (bareOf(from) !== to) {
      const item = await ctx.stores.roster.getItem(owner, bareOf(from));
      if (!item || (item.subscription !== 'from' && item.subscription !== 'both')) fail('service-unavailable');
    }
    return infoQuery(undefined, ctx.disco.accountIdentities, ctx.disco.accountFeatures);
  });

  // PEP replaces this handler with one that lists the account's nodes.
  ctx.iq.register('account', 'get', NS.DISCO_ITEMS, 'query', async ({ to }) => {
    const owner = to.slice(0, to.indexOf('@'));
    if (!(await ctx.stores.accounts.exists(owner))) fail('service-unavailable');
    return xml('query', { xmlns: NS.DISCO_ITEMS });
  });
}
