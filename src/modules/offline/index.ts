// XEP-0160: messages of type normal and chat for an account with no available resource are stored,
// stamped with XEP-0203 delay, and delivered in order when the account sends initial presence.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import type { ModuleContext, SessionEvent } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';

export function offlineModule(ctx: ModuleContext, opts: { quota: number }): void {
  ctx.disco.addFeature(NS.OFFLINE);

  ctx.bus.on<RoutedStanza>('message/offline', async ({ stanza, toBare, origin }) => {
    const user = toBare.slice(0, toBare.indexOf('@'));
    const stored = stanza.clone();
    stored.attrs.to = toBare;
    stored.append(xml('delay', { xmlns: NS.DELAY, from: ctx.domain, stamp: new Date().toISOString() }, 'Offline storage'));
    if (await ctx.stores.offline.store(user, stored.toString(), opts.quota)) return true;
    // Quota full: XEP-0160 section 3 says bounce with service-unavailable.
    ctx.router.bounce(stanza, 'service-unavailable', origin, 'The recipient\'s offline storage is full');
    return true;
  });

  ctx.bus.on<SessionEvent>('presence/initial', async ({ session }) => {
    // Negative priority: the resource does not want messages to the bare JID (RFC 6121 4.7.2.3).
    if (session.priority < 0) return;
    const messages = await ctx.stores.offline.takeAll(session.username);
    for (const m of messages) session.sendRaw(m);
  });
}

export type { Element };
