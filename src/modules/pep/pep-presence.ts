// XEP-0163 4.3.2-4.3.4 and XEP-0060 9.1-9.2 on presence: when a resource becomes available (after its
// initial presence, never at bind), it gets the last item of every PEP node it is subscribed to or asks
// for with '+notify'; when its caps become known late, or change, only the nodes it newly asks for are
// sent (never twice for the same interest); when it leaves, its temporary subscriptions end and the
// account's purge_offline nodes are purged (XEP-0060 12.4, 16.4.4).

import type { ClientSession } from '../../core/client-session.js';
import type { ModuleContext } from '../../core/module-context.js';
import { log } from '../../core/log.js';
import type { RosterAccess } from '../pubsub/roster-access.js';
import { notifyNodes, type CapsCache } from './caps-cache.js';
import type { PepServices } from './pep-services.js';

export type PresenceTrigger = 'initial' | 'caps';

export class PepPresence {
  /** The '+notify' nodes each resource has been served the last items of. */
  private readonly served = new WeakMap<ClientSession, ReadonlySet<string>>();
  /** Resources whose unavailability was handled (presence/unavailable, then session-ended). */
  private readonly gone = new WeakSet<ClientSession>();

  constructor(
    private readonly ctx: ModuleContext,
    private readonly services: PepServices,
    private readonly caps: CapsCache,
    private readonly access: RosterAccess,
  ) {}

  /** The PEP services whose presence `session` receives: its own account and the contacts it subscribed to. */
  private async servicesSeenBy(session: ClientSession): Promise<string[]> {
    const roster = await this.ctx.stores.roster.getRoster(session.username);
    const contacts = roster.items
      .filter((i) => (i.subscription === 'to' || i.subscription === 'both') && this.access.isLocalAccount(i.jid) && i.jid !== session.bare)
      .map((i) => i.jid);
    return [session.bare, ...contacts];
  }

  /** Initial presence, or caps that became known or changed. */
  async available(session: ClientSession, trigger: PresenceTrigger): Promise<void> {
    if (!session.available) return;
    if (trigger === 'initial') this.gone.delete(session);
    const features = this.caps.featuresOf(session);
    const current = features ? notifyNodes(features) : new Set<string>();
    const before = this.served.get(session) ?? new Set<string>();
    const fresh = new Set([...current].filter((n) => !before.has(n)));
    // Unknown caps leave nothing served, so that the answer, when it comes, counts every interest as new.
    if (features) this.served.set(session, current);
    if (trigger === 'caps' && fresh.size === 0) return;
    for (const account of await this.servicesSeenBy(session)) {
      try {
        await this.services.use(account, async ({ scope }) => {
          for (const n of await scope.engine.lastItemsOnPresence(session.full)) {
            const implicit = n.recipients.every((r) => r.subids.length === 0);
            if (implicit ? fresh.has(n.node) : trigger === 'initial') scope.notifier.notify(n);
          }
        });
      } catch (err) {
        log.error({ err, account, jid: session.full }, 'PEP last items on presence failed');
      }
    }
  }

  async unavailable(session: ClientSession): Promise<void> {
    if (this.gone.has(session)) return;
    this.gone.add(session);
    this.served.delete(session);
    for (const account of await this.servicesSeenBy(session)) {
      try {
        await this.services.use(account, ({ scope }) => scope.engine.entityUnavailable(session.full));
      } catch (err) {
        log.error({ err, account, jid: session.full }, 'PEP unavailable handling failed');
      }
    }
  }
}
