// Personal Eventing Protocol (XEP-0163): every account is a pubsub service at its bare JID. IQs to a bare
// JID with a pubsub payload (and node discovery, node archives, get-pending) go to that account's engine
// through the same handlers as pubsub.<domain>; the account advertises identity pubsub/pep and the PEP
// features (5); notifications follow presence and XEP-0115 '+notify' interest (4); owners answer approval
// forms by message to their own bare JID (XEP-0060 8.6).

import type { Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { log } from '../../core/log.js';
import type { ModuleContext, SessionEvent } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';
import type { PubsubStore } from '../../storage/pubsub-store.js';
import { defaultAccessModelFeature, pubsubFeatures, PUBSUB_FEATURE_PREFIX } from '../pubsub/engine/features.js';
import { revalidateSubscriptions, watchRosterChanges } from '../pubsub/access-revalidation.js';
import { handleNotificationBounce } from '../pubsub/notification-bounces.js';
import { NotificationLog } from '../pubsub/notification-log.js';
import { authorizationAnswer, COMMANDS_NS, GET_PENDING_NODE, PendingCommand } from '../pubsub/pending-command.js';
import { isPubsubPayload } from '../pubsub/pubsub-dispatch.js';
import { RosterAccess } from '../pubsub/roster-access.js';
import { answerServiceIq } from '../pubsub/service-iq.js';
import { StanzaDelivery } from '../pubsub/stanza-delivery.js';
import { CapsCache } from './caps-cache.js';
import { PepPresence } from './pep-presence.js';
import { PepServices, type PepLimits } from './pep-services.js';

export interface PepModuleOptions extends PepLimits {
  store: PubsubStore;
  /** Milliseconds between item_expire sweeps of the loaded services (default one minute). */
  expirySweepMs?: number;
  /** A service unused this long is unloaded (default ten minutes). */
  idleMs?: number;
}

/** XEP-0060 section 9: an account that is a virtual pubsub service says so. */
export const PUBSUB_ON_A_JID = `${PUBSUB_FEATURE_PREFIX}pubsub-on-a-jid`;

/** The PEP features of an account's disco#info (XEP-0163 section 5). */
export function pepFeatures(): string[] {
  return [
    NS.PUBSUB,
    ...pubsubFeatures(true).map((f) => PUBSUB_FEATURE_PREFIX + f),
    defaultAccessModelFeature('presence'),
    PUBSUB_ON_A_JID,
    COMMANDS_NS,
  ];
}

/** Payloads of IQs to a bare JID that the account's PEP service answers. */
function forPep(payload: Element): boolean {
  if (isPubsubPayload(payload)) return true;
  if (payload.is('query', NS.DISCO_ITEMS)) return true;
  if (payload.is('query', NS.DISCO_INFO) || payload.is('query', NS.MAM) || payload.is('metadata', NS.MAM)) return !!payload.attrs.node;
  return payload.is('command', COMMANDS_NS) && payload.attrs.node === GET_PENDING_NODE;
}

export function pepModule(ctx: ModuleContext, options: PepModuleOptions): PepServices {
  const access = new RosterAccess(ctx, 'local', [ctx.domain]);
  const delivery = new StanzaDelivery(ctx);
  const sent = new NotificationLog();
  let presence: PepPresence | undefined;
  const caps = new CapsCache(ctx, (session) => void presence?.available(session, 'caps'));
  const services = new PepServices(ctx, { store: options.store, access, delivery, sent, caps, limits: options });
  presence = new PepPresence(ctx, services, caps, access);
  const commands = new PendingCommand();

  ctx.disco.accountIdentities.push({ category: 'pubsub', type: 'pep' });
  for (const f of pepFeatures()) ctx.disco.addAccountFeature(f);

  const existing = async (bare: string): Promise<boolean> => {
    const user = access.localUser(bare);
    return user !== undefined && (await ctx.stores.accounts.exists(user));
  };

  ctx.bus.on<RoutedStanza>(
    'iq/bare',
    async (r) => {
      const { stanza } = r;
      const type = stanza.attrs.type;
      if (type !== 'get' && type !== 'set') return false;
      const children = stanza.getChildElements();
      if (children.length !== 1 || !forPep(children[0]!)) return false;
      if (!(await existing(r.toBare))) return false;
      await services.use(r.toBare, ({ scope }) => answerServiceIq({ scope, stanza, payload: children[0]!, from: r.from, origin: r.origin, commands }));
      return true;
    },
    10,
  );

  // Owners' answers to approval forms and bounced notifications come back to the account's bare JID.
  ctx.bus.on<RoutedStanza>('message/bare', async (r) => {
    const { stanza } = r;
    const bounce = stanza.attrs.type === 'error' && sent.lookup(stanza.attrs.id) !== undefined;
    if (!bounce && !stanza.getChild('x', NS.DATA_FORMS)) return false;
    if (!(await existing(r.toBare))) return false;
    try {
      return await services.use(r.toBare, async ({ scope }) => {
        if (bounce) return handleNotificationBounce(scope, sent, stanza, r.from);
        return (await authorizationAnswer(scope, r.from, stanza)) !== undefined;
      });
    } catch (err) {
      log.debug({ err }, 'PEP approval form refused');
      return true;
    }
  });

  // XEP-0163 8: either side of a changed relationship may have lost access to the other's nodes.
  watchRosterChanges(ctx, async (user, contact) => {
    for (const [owner, other] of [[user, contact], [contact, user]] as const) {
      if (!(await existing(owner))) continue;
      await services.use(owner, ({ scope }) => revalidateSubscriptions(scope, other));
    }
  });

  ctx.bus.on<SessionEvent>('presence/initial', ({ session }) => presence!.available(session, 'initial'));
  ctx.bus.on<SessionEvent>('presence/updated', ({ session }) => presence!.available(session, 'caps'));
  ctx.bus.on<SessionEvent>('presence/unavailable', ({ session }) => presence!.unavailable(session));
  ctx.bus.on<SessionEvent>('session-ended', ({ session }) => presence!.unavailable(session));

  let sweeping = false;
  ctx.every(options.expirySweepMs ?? 60_000, () => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      for (const account of services.loaded()) {
        await services.use(account, ({ scope }) => scope.engine.expireItems()).catch((err: unknown) => log.error({ err, account }, 'PEP item expiry failed'));
      }
      services.evictIdle(options.idleMs ?? 600_000);
    })().finally(() => (sweeping = false));
  });
  return services;
}
