// The generic publish-subscribe service at pubsub.<domain> (XEP-0060 section 4.6.1 JID addressing): a
// router Service that answers IQs through the shared handlers, takes owners' answers to approval forms
// (8.6) and bounced notifications (12.3) by message, and ignores presence.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { errorElement, errorReply, mayReplyWithError } from '../../protocol/stanza-error.js';
import type { Service } from '../../core/router.js';
import { handleNotificationBounce } from './notification-bounces.js';
import type { NotificationLog } from './notification-log.js';
import { authorizationAnswer, type PendingCommand } from './pending-command.js';
import { answerIq } from './pubsub-dispatch.js';
import { PubsubFailure } from './pubsub-errors.js';
import type { ServiceScope } from './pubsub-request.js';
import { answerServiceIq } from './service-iq.js';
import { serviceInfo } from './service-disco.js';

export class PubsubService implements Service {
  readonly domain: string;

  constructor(
    readonly scope: ServiceScope,
    private readonly commands: PendingCommand,
    private readonly sent: NotificationLog,
  ) {
    this.domain = scope.jid;
  }

  async handle(stanza: Element, from: string): Promise<void> {
    if (stanza.name === 'iq') return this.iq(stanza, from);
    if (stanza.name === 'message') return this.message(stanza, from);
  }

  private async iq(stanza: Element, from: string): Promise<void> {
    const type = stanza.attrs.type;
    if (type !== 'get' && type !== 'set') return;
    const origin = this.scope.ctx.sessions.get(from);
    const children = stanza.getChildElements();
    // Nodes are addressed by NodeID, not as JIDs below the service (4.6.2 is not used here).
    const to = stanza.attrs.to === undefined ? this.domain : this.scope.ctx.normalizeJid(stanza.attrs.to);
    if (children.length !== 1 || to !== this.domain) {
      const condition = children.length !== 1 ? 'bad-request' : 'service-unavailable';
      await this.scope.delivery.reply(errorReply(stanza, { condition }), origin);
      return;
    }
    const payload = children[0]!;
    if (await answerServiceIq({ scope: this.scope, stanza, payload, from, origin, commands: this.commands })) return;
    if (type === 'get' && payload.is('query', NS.DISCO_INFO)) {
      await answerIq(this.scope, stanza, origin, async () => serviceInfo());
      return;
    }
    if (type === 'get' && payload.is('ping', NS.PING)) {
      await answerIq(this.scope, stanza, origin, async () => undefined);
      return;
    }
    await this.scope.delivery.reply(errorReply(stanza, { condition: 'service-unavailable' }), origin);
  }

  private async message(stanza: Element, from: string): Promise<void> {
    if (stanza.attrs.type === 'error') {
      await handleNotificationBounce(this.scope, this.sent, stanza, from);
      return;
    }
    try {
      await authorizationAnswer(this.scope, from, stanza);
    } catch (err) {
      if (!(err instanceof PubsubFailure) || !mayReplyWithError(stanza)) return;
      const reply = xml('message', { type: 'error', from: this.domain, to: from, ...(stanza.attrs.id ? { id: stanza.attrs.id } : {}) }, errorElement(err.spec));
      this.scope.delivery.deliver(from, () => reply.toString(), () => reply);
    }
  }
}
