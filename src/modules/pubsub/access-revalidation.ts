// XEP-0163 section 8 and XEP-0060 12.11: when a presence subscription or a roster item changes, the
// subscriptions that relied on it (nodes with the presence or roster access model) are checked again,
// and those that lost access end, the former subscriber being told. Roster changes are observed on
// their way in (subscription presence, roster sets and removals) and checked once the roster module
// has applied them.

import type { Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { log } from '../../core/log.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';
import type { ServiceScope } from './pubsub-request.js';

const SUBSCRIPTION_TYPES = new Set(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);
/** The pubsub#errors conditions that mean "no longer has a presence subscription / the group". */
const ACCESS_LOST = new Set(['presence-subscription-required', 'not-in-roster-group']);

/** Ends the subscriptions of `contactBare` at this service that its roster standing no longer allows. */
export async function revalidateSubscriptions(scope: ServiceScope, contactBare: string): Promise<void> {
  const admin = scope.ctx.domain;
  const subs = await scope.engine.getSubscriptions(contactBare);
  if (!subs.ok) return;
  const models = new Map<string, string | undefined>();
  for (const sub of subs.value) {
    if (!models.has(sub.node)) {
      const config = await scope.engine.getNodeConfig(admin, sub.node);
      models.set(sub.node, config.ok ? config.value.access_model : undefined);
    }
    const model = models.get(sub.node);
    if (model !== 'presence' && model !== 'roster') continue;
    const check = await scope.engine.getItems(sub.jid, sub.node, { maxItems: 1, subid: sub.subid });
    if (check.ok || !ACCESS_LOST.has(check.error.pubsub ?? '')) continue;
    const gone = await scope.engine.unsubscribe(admin, sub.node, sub.jid, sub.subid);
    if (!gone.ok) continue;
    scope.notifier.notify({
      kind: 'subscription',
      service: scope.jid,
      node: sub.node,
      subscription: { jid: sub.jid, state: 'none', subid: sub.subid },
      notificationType: 'headline',
      recipients: [{ jid: sub.jid, subids: [sub.subid] }],
    });
  }
}

/**
 * Calls `changed(userBare, contactBare)` after a change to the relationship between a local user and a
 * contact: subscription presence either way, a roster set or removal. The call comes on the next turn of
 * the event loop, after the roster module applied the change.
 */
export function watchRosterChanges(ctx: ModuleContext, changed: (userBare: string, contactBare: string) => Promise<void>): void {
  const later = (user: string, contact: string) =>
    setImmediate(() => {
      changed(user, contact).catch((err: unknown) => log.error({ err, user, contact }, 'pubsub access re-evaluation failed'));
    });
  ctx.bus.on<RoutedStanza>(
    'presence/bare',
    (r) => {
      if (r.origin && SUBSCRIPTION_TYPES.has(r.stanza.attrs.type ?? '')) later(r.origin.bare, r.toBare);
      return false;
    },
    20,
  );
  ctx.bus.on<{ contact: string; from: string }>(
    'presence/subscription-out',
    (e) => {
      later(e.from, e.contact);
      return false;
    },
    20,
  );
  ctx.bus.on<RoutedStanza>(
    'iq/bare',
    (r) => {
      if (r.stanza.attrs.type !== 'set' || !r.origin) return false;
      const query: Element | undefined = r.stanza.getChild('query', NS.ROSTER);
      const jid = query?.getChild('item')?.attrs.jid;
      const contact = jid === undefined ? undefined : ctx.normalizeJid(jid);
      if (contact !== undefined) later(r.origin.bare, contact);
      return false;
    },
    20,
  );
}
