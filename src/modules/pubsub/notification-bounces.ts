// XEP-0060 12.3 (handling notification-related errors): an error answering a notification of type
// cancel (or gone) ends the subscriptions of the JID that bounced at the node the notification was
// about. A local account that exists is kept subscribed whatever it answered: its bounces come from
// transient causes (a full offline store), not from an address that is gone.

import type { Element } from '../../xml/element.js';
import { log } from '../../core/log.js';
import type { NotificationLog } from './notification-log.js';
import type { ServiceScope } from './pubsub-request.js';

export async function handleNotificationBounce(scope: ServiceScope, sentLog: NotificationLog, error: Element, from: string): Promise<boolean> {
  const sent = sentLog.lookup(error.attrs.id);
  if (!sent || sent.service !== scope.jid) return false;
  const err = error.getChild('error');
  const permanent = err?.attrs.type === 'cancel' || err?.getChild('gone') !== undefined;
  if (!permanent) return true;
  const user = scope.access.localUser(bareOf(from));
  if (user !== undefined && (await scope.ctx.stores.accounts.exists(user))) return true;
  const admin = scope.ctx.domain;
  const subs = await scope.engine.getNodeSubscriptions(admin, sent.node);
  if (!subs.ok) return true;
  for (const sub of subs.value) {
    if (sub.jid !== from) continue;
    const gone = await scope.engine.unsubscribe(admin, sent.node, sub.jid, sub.subid);
    if (gone.ok) log.info({ node: sent.node, jid: from }, 'pubsub subscription ended by a bounced notification');
  }
  return true;
}

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}
