// How the pubsub layer hands stanzas to the rest of the server (DESIGN.md section 7; RFC 6121 section 8
// delivery rules). A stanza for a full JID with a local session goes to that session as text, without
// an element tree. A message for the bare JID of a local account with available resources goes, as
// text too, to the resources RFC 6121 8.5.2.1.1 names (non-negative priority; every one for a
// headline, the highest priority ones otherwise): the router would do the same, one JID parse and event
// round per recipient slower. Anything else (offline users, unknown accounts, other domains) goes
// through the router, which stores normal messages offline, drops headlines and bounces the rest.
// XEP-0191 3.3: what goes straight to sessions skips the router's 'stanza/inbound' hook, so it passes
// the sender filter a blocking module supplies through 'delivery/sender-filter' (no import either way).

import type { Element } from '../../xml/element.js';
import { log } from '../../core/log.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import type { RemoteSessionView, SessionRegistry, StanzaTemplate, TemplateRecipient } from '../../core/session-registry.js';

/** The bus event through which the sender filter reaches StanzaDelivery. */
export const SENDER_FILTER = 'delivery/sender-filter';

/**
 * XEP-0191 3.3, for stanzas the server writes to sessions itself: whether one from `sender` (called
 * only when the local account `user` blocks something) is withheld (true), delivered (false), or, when
 * the account's list is not in memory, left to the router's hooks (undefined).
 */
export type SenderFilter = (user: string, sender: () => string) => boolean | undefined;

/**
 * 'delivery/sender-filter': a module that withholds stanzas by sender sets `filter` when the event
 * passes it, and broadcasts the event with its filter when it starts; StanzaDelivery broadcasts an
 * empty one when created. Either way round, the filter ends up here, whatever the modules' order.
 */
export interface SenderFilterEvent {
  filter?: SenderFilter;
}

export class StanzaDelivery {
  private senderFilter: SenderFilter | undefined;

  constructor(private readonly ctx: ModuleContext) {
    ctx.bus.on<SenderFilterEvent>(SENDER_FILTER, ({ filter }) => {
      if (filter) this.senderFilter = filter;
    });
    const ask: SenderFilterEvent = {};
    void ctx.bus.broadcast(SENDER_FILTER, ask).then(() => {
      this.senderFilter ??= ask.filter;
    });
  }

  /**
   * Delivers one stanza to `jid`: `text` is used for a local session, `element` (built only when
   * needed) for the router. Messages addressed to the server itself (an owner that is the domain) are
   * not sent: nobody reads them. [cluster] `remote` takes the sessions held by other processes (true) so
   * that they get the stanza through a RemoteBatch.
   */
  deliver(jid: string, text: () => string, element: () => Element, headline = false, remote?: (session: ClientSession, to: string) => boolean): void {
    if (jid === this.ctx.domain) return;
    let tree: Element | undefined;
    const built = () => (tree ??= element());
    if (jid.includes('/')) {
      const session = this.ctx.sessions.get(jid);
      const blocked = session && this.blocked(session.username, built);
      if (blocked === true) return;
      if (session && blocked === false) {
        if (!remote?.(session, jid)) session.sendRaw(text());
        return;
      }
    } else if (jid.endsWith(this.localSuffix)) {
      const blocked = this.blocked(jid.slice(0, -this.localSuffix.length), built);
      if (blocked === true) return;
      const targets = blocked === false ? this.bareTargets(jid, headline) : [];
      if (targets.length > 0) {
        let serialised: string | undefined;
        for (const session of targets) if (!remote?.(session, jid)) session.sendRaw((serialised ??= text()));
        return;
      }
    }
    this.ctx.router.route(built()).catch((err: unknown) => log.error({ err, to: jid }, 'pubsub delivery failed'));
  }

  /** XEP-0191 3.3 (SenderFilter); without a blocking module, nothing is withheld. */
  private blocked(user: string, built: () => Element): boolean | undefined {
    return this.senderFilter === undefined ? false : this.senderFilter(user, () => built().attrs.from ?? '');
  }

  /**
   * [cluster] Collects the recipients of `template` held by other processes, so that the template
   * travels once per process (sent by send()); undefined on a process outside a cluster.
   */
  remoteBatch(template: StanzaTemplate): RemoteBatch | undefined {
    const remote = this.ctx.sessions.remote;
    return remote?.sendTemplate ? new RemoteBatch(this.ctx.sessions, remote, template) : undefined;
  }

  private get localSuffix(): string {
    return `@${this.ctx.domain}`;
  }

  /** RFC 6121 8.5.2.1.1: the resources a message to a bare JID goes to. */
  private bareTargets(bare: string, headline: boolean): ClientSession[] {
    const candidates = this.ctx.sessions.availableResourcesOf(bare).filter((s) => s.priority >= 0);
    if (headline || candidates.length < 2) return candidates;
    const top = Math.max(...candidates.map((s) => s.priority));
    return candidates.filter((s) => s.priority === top);
  }

  /** Sends an IQ reply to the requester and resolves once it is on its way (so later stanzas follow it). */
  async reply(reply: Element, origin?: ClientSession): Promise<void> {
    const to = reply.attrs.to;
    const session = origin && to === origin.full ? origin : to !== undefined ? this.ctx.sessions.get(to) : undefined;
    if (session) session.send(reply);
    else await this.ctx.router.route(reply);
  }
}

/** [cluster] The recipients of one template that are sessions of other processes. */
export class RemoteBatch {
  private readonly recipients: TemplateRecipient[] = [];

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly remote: RemoteSessionView,
    readonly template: StanzaTemplate,
  ) {}

  /** Takes `session` when another process holds it; false for a session of this process. */
  take(session: ClientSession, to: string, part?: () => string): boolean {
    if (this.sessions.getLocal(session.full) === session) return false;
    const own = part?.();
    this.recipients.push(own === undefined || own === this.template.part ? { session, to } : { session, to, part: own });
    return true;
  }

  send(): void {
    if (this.recipients.length > 0) this.remote.sendTemplate!(this.template, this.recipients);
  }
}
