// The engine's Notifier for one service (XEP-0060 7.1.2 and 12.3; XEP-0163 4.3): each notification is
// serialised once into a NotificationTemplate, then every recipient gets the template with its own `to`
// (and SubID headers when it holds several subscriptions). Full JIDs of local sessions receive the text
// directly; bare JIDs and others are routed by the RFC 6121 rules (offline storage for normal messages).
// In a cluster, sessions held by other processes get the template once per process (docs/CLUSTER.md).

import { log } from '../../core/log.js';
import type { Notification, Notifier } from './engine/notification.js';
import { NotificationTemplate } from './notification-xml.js';
import type { NotificationLog } from './notification-log.js';
import type { StanzaDelivery } from './stanza-delivery.js';

export interface NotifierOptions {
  /**
   * PEP (XEP-0163 4.3.1): whether a recipient may learn which resource published, through an XEP-0033
   * replyto address; only entities with a presence subscription to the account may.
   */
  mayReplyTo?(recipientBare: string): boolean;
}

export class NotificationDelivery implements Notifier {
  constructor(
    private readonly delivery: StanzaDelivery,
    private readonly log: NotificationLog,
    private readonly options: NotifierOptions = {},
  ) {}

  notify(notification: Notification): void {
    // The engine notifies after its store committed: a failure here must not turn that into an error reply.
    try {
      this.fanOut(notification);
    } catch (err) {
      log.error({ err, node: notification.node, kind: notification.kind }, 'pubsub notification failed');
    }
  }

  private fanOut(notification: Notification): void {
    const template = new NotificationTemplate(notification, this.log.next({ service: notification.service, node: notification.node }));
    const replyTo = notification.publisherFullJid !== undefined ? this.options.mayReplyTo : undefined;
    const headline = template.headline;
    // [cluster] Recipients on other processes get the template once per process, which splices their `to`.
    const batch = this.delivery.remoteBatch(template.spliced());
    for (const r of notification.recipients) {
      const withReplyTo = replyTo !== undefined && replyTo(bareOf(r.jid));
      this.delivery.deliver(
        r.jid,
        () => template.render(r.jid, r.subids, withReplyTo),
        () => template.element(r.jid, r.subids, withReplyTo),
        headline,
        batch && ((session, to) => batch.take(session, to, () => template.inner(r.subids, withReplyTo))),
      );
    }
    batch?.send();
  }
}

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}
