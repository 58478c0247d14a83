// How the pubsub layer hands stanzas to the rest of the server (DESIGN.md section 7; RFC 6121 section 8
// delivery rules). A stanza for a full JID with a local session goes to that session as text, without
// an element tree; anything else (bare JIDs, offline users, other domains) goes through the router,
// which applies RFC 6121 8.5: resources by priority, offline storage for normal messages, nothing
// stored for headlines, errors for unknown accounts.

import type { Element } from '../../xml/element.js';
import { log } from '../../core/log.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';

export class StanzaDelivery {
  constructor(private readonly ctx: ModuleContext) {}

  /**
   * Delivers one stanza to `jid`: `text` is used for a local session, `element` (built only when
   * needed) for the router. Messages addressed to the server itself (an owner that is the domain) are
   * not sent: nobody reads them.
   */
  deliver(jid: string, text: () => string, element: () => Element): void {
    if (jid === this.ctx.domain) return;
    if (jid.includes('/')) {
      const session = this.ctx.sessions.get(jid);
      if (session) {
        session.sendRaw(text());
        return;
      }
    }
    this.ctx.router.route(element()).catch((err: unknown) => log.error({ err, to: jid }, 'pubsub delivery failed'));
  }

  /** Sends an IQ reply to the requester and resolves once it is on its way (so later stanzas follow it). */
  async reply(reply: Element, origin?: ClientSession): Promise<void> {
    const to = reply.attrs.to;
    const session = origin && to === origin.full ? origin : to !== undefined ? this.ctx.sessions.get(to) : undefined;
    if (session) session.send(reply);
    else await this.ctx.router.route(reply);
  }
}
