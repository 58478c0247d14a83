// RFC 6121 sections 3 and 4: presence subscriptions (requests, approvals, pre-approval 3.4,
// cancellations, unsubscribes) and presence broadcast (initial 4.2, probes 4.3, updates 4.4,
// unavailable 4.5, directed presence 4.6). Both ends are local accounts (no federation yet), so the
// "user's server" and "contact's server" halves of each rule run here one after the other.
// Presence this module writes to sessions itself passes the 'presence/peers' filter first (other
// modules drop peers there: XEP-0191 blocking), the one place such a policy hooks in.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { errorReply } from '../../protocol/stanza-error.js';
import type { ModuleContext, PresencePeersEvent, SessionEvent } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import { templateOf } from '../../core/stanza-template.js';
import { bareOf, type RoutedStanza } from '../../core/router.js';
import type { RosterItem } from '../../storage/roster-store.js';
import type { RosterService } from '../roster/roster-service.js';
import { changed, hasFrom, hasTo, inbound, outbound, stateOf, type SubscriptionType } from './subscription-states.js';

const SUBSCRIPTION_TYPES = new Set(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);
const PRESENCE_TYPES = new Set([undefined, 'unavailable', 'probe', 'error', ...SUBSCRIPTION_TYPES]);

export function presenceModule(ctx: ModuleContext, roster: RosterService): void {
  const localUser = (bare: string): string | undefined => {
    const at = bare.indexOf('@');
    return at !== -1 && bare.slice(at + 1) === ctx.domain ? bare.slice(0, at) : undefined;
  };

  /** The sessions of `peers` that may exchange presence with `jid` ('presence/peers' handlers decide). */
  const allowedPeers = async (jid: string, peers: ClientSession[]): Promise<ClientSession[]> => {
    if (peers.length === 0 || !ctx.bus.has('presence/peers')) return peers;
    const event: PresencePeersEvent = { jid, peers };
    await ctx.bus.broadcast('presence/peers', event);
    return event.peers;
  };

  const updateItem = async (user: string, contact: string, existing: RosterItem | undefined, next: ReturnType<typeof stateOf>) => {
    const before = stateOf(existing);
    if (!changed(before, next)) return;
    await roster.set(user, { jid: contact, groups: existing?.groups ?? [], name: existing?.name, ...next });
  };

  /** Presence of every available resource of `fromBare`, sent to `to` (used after approval and for probes). */
  const sendCurrentPresence = (fromBare: string, to: string) => {
    for (const s of ctx.sessions.availableResourcesOf(fromBare)) {
      const p = (s.presence ?? xml('presence')).clone();
      p.attrs.from = s.full;
      p.attrs.to = to;
      void ctx.router.route(p);
    }
  };

  const sendUnavailable = (fromBare: string, to: string) => {
    for (const s of ctx.sessions.availableResourcesOf(fromBare)) {
      void ctx.router.route(xml('presence', { from: s.full, to, type: 'unavailable' }));
    }
  };

  /** A subscription stanza from local `userBare` to `contactBare` (sections 3.1-3.3). */
  async function subscription(userBare: string, contactBare: string, type: SubscriptionType, original?: Element, userSideDone = false) {
    const user = localUser(userBare)!;
    // The sender's side.
    if (!userSideDone) {
      const item = await roster.get(user, contactBare);
      const pendingIn = type === 'subscribed' || type === 'unsubscribed' ? await ctx.stores.roster.removePendingIn(user, contactBare) : false;
      const next = outbound(stateOf(item), type, pendingIn);
      // 3.2.2 / 3.1.5: a subscribed or unsubscribed with nothing to approve or cancel changes nothing.
      if (item || type === 'subscribe' || type === 'subscribed') await updateItem(user, contactBare, item, next);
      if (type === 'subscribed' && !pendingIn && !hasFrom(stateOf(item).subscription)) {
        return; // pre-approval only: nothing is sent to the contact (3.4)
      }
    }
    const contact = localUser(contactBare);
    if (contact === undefined) return; // no federation: remote contacts never answer
    if (!(await ctx.stores.accounts.exists(contact))) {
      // 3.1.3: the contact does not exist; an unsubscribed comes back for a subscribe.
      if (type === 'subscribe') await subscription(contactBare, userBare, 'unsubscribed', undefined, true).catch(() => undefined);
      return;
    }
    // The recipient's side.
    const theirs = await roster.get(contact, userBare);
    const result = inbound(stateOf(theirs), type);
    if (theirs || result.state.subscription !== 'none' || result.state.ask || result.state.approved) {
      await updateItem(contact, userBare, theirs, result.state);
    }
    const stanza = xml('presence', { from: userBare, to: contactBare, type });
    if (original) for (const child of original.getChildElements()) stanza.append(child.clone());
    if (result.autoReply) {
      await subscription(contactBare, userBare, 'subscribed', undefined, true);
      return;
    }
    if (type === 'subscribe' && result.deliver) {
      // 3.1.3: kept until answered, delivered now to available resources and again at next login.
      await ctx.stores.roster.setPendingIn(contact, userBare, stanza.toString());
    }
    if (result.deliver) for (const s of await allowedPeers(userBare, ctx.sessions.availableResourcesOf(contactBare))) s.send(stanza.clone());
    // 3.1.5: the new subscriber gets the approver's current presence.
    if (type === 'subscribed' && result.deliver) sendCurrentPresence(userBare, contactBare);
    if (type === 'unsubscribed' || type === 'unsubscribe') {
      // 3.2.2 / 3.3.2: the side that lost its view of the other gets unavailable presence.
      if (type === 'unsubscribed' && result.deliver) sendUnavailable(userBare, contactBare);
      if (type === 'unsubscribe' && result.deliver) sendUnavailable(contactBare, userBare);
    }
  }

  ctx.bus.on<{ user: string; contact: string; type: SubscriptionType; from: string }>('presence/subscription-out', async (e) => {
    await subscription(e.from, e.contact, e.type, undefined, true);
    return true;
  });

  /** Contacts with a 'from' subscription: who sees this user's presence (4.2.2). */
  async function subscribers(user: string): Promise<string[]> {
    const r = await ctx.stores.roster.getRoster(user);
    return r.items.filter((i) => hasFrom(i.subscription)).map((i) => i.jid);
  }

  /**
   * 4.2.2 / 4.4.2 / 4.5.2: `stanza` from `session` to every available resource of its contacts with a
   * 'from' subscription and to the user's own available resources (the sender included), serialised
   * once with each recipient's `to` spliced in (in a cluster, once per process).
   */
  async function broadcast(session: ClientSession, stanza: Element): Promise<void> {
    const recipients: ClientSession[] = [];
    for (const contact of await subscribers(session.username)) recipients.push(...ctx.sessions.availableResourcesOf(contact));
    recipients.push(...ctx.sessions.availableResourcesOf(session.bare));
    const allowed = await allowedPeers(session.full, recipients);
    if (allowed.length === 0) return;
    const from = stanza.clone();
    from.attrs.from = session.full;
    ctx.sessions.sendTemplate(templateOf(from), allowed.map((s) => ({ session: s, to: s.full })));
  }

  async function goUnavailable(session: ClientSession, stanza?: Element): Promise<void> {
    const wasAvailable = session.available;
    session.available = false;
    if (wasAvailable) await broadcast(session, stanza ?? xml('presence', { type: 'unavailable' }));
    // 4.6.3: everyone who got directed presence hears that we left.
    for (const to of session.directedPresence) void ctx.router.route(xml('presence', { from: session.full, to, type: 'unavailable' }));
    session.directedPresence.clear();
    session.presence = undefined;
    await ctx.bus.broadcast('presence/unavailable', { session });
  }

  // Presence without `to`: initial presence, updates, unavailable (4.2, 4.4, 4.5).
  ctx.bus.on<{ stanza: Element; origin: ClientSession }>('presence/broadcast', async ({ stanza, origin }) => {
    const type = stanza.attrs.type;
    if (type === 'unavailable') {
      await goUnavailable(origin, stanza);
      return true;
    }
    if (type !== undefined) {
      if (!PRESENCE_TYPES.has(type)) origin.send(errorReply(stanza, { condition: 'bad-request' }));
      return true; // subscription types without a 'to' and probes to nobody are ignored
    }
    const priority = Number.parseInt(stanza.getChildText('priority') ?? '0', 10);
    origin.priority = Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0;
    const caps = stanza.getChild('c', NS.CAPS);
    origin.caps = caps ? { node: caps.attrs.node ?? '', ver: caps.attrs.ver ?? '', hash: caps.attrs.hash ?? '' } : undefined;
    const initial = !origin.available;
    origin.available = true;
    origin.presence = stanza.clone();
    delete origin.presence.attrs.to;
    await broadcast(origin, stanza);
    if (initial) {
      // 4.2.2: probe the contacts we are subscribed to (answered locally).
      const r = await ctx.stores.roster.getRoster(origin.username);
      const contacts: ClientSession[] = [];
      for (const item of r.items) {
        if (hasTo(item.subscription) && item.jid !== origin.bare) contacts.push(...ctx.sessions.availableResourcesOf(item.jid));
      }
      for (const s of await allowedPeers(origin.full, contacts)) {
        const p = (s.presence ?? xml('presence')).clone();
        p.attrs.from = s.full;
        p.attrs.to = origin.full;
        origin.send(p);
      }
      // Own other resources' presence (4.2.2: the new resource learns about its siblings).
      for (const s of ctx.sessions.availableResourcesOf(origin.bare)) {
        if (s === origin) continue;
        const p = (s.presence ?? xml('presence')).clone();
        p.attrs.from = s.full;
        p.attrs.to = origin.full;
        origin.send(p);
      }
      // 3.1.3: subscription requests that arrived while offline.
      for (const pending of await ctx.stores.roster.getPendingIn(origin.username)) {
        origin.sendRaw(pending.stanza);
      }
      await ctx.bus.broadcast('presence/initial', { session: origin });
    } else {
      await ctx.bus.broadcast('presence/updated', { session: origin });
    }
    return true;
  });

  // Presence addressed to an account or a resource.
  const addressed = async (r: RoutedStanza): Promise<boolean> => {
    const { stanza } = r;
    const type = stanza.attrs.type;
    if (!PRESENCE_TYPES.has(type)) {
      r.origin?.send(errorReply(stanza, { condition: 'bad-request' }));
      return true;
    }
    if (type && SUBSCRIPTION_TYPES.has(type)) {
      // 3.1.2: subscription stanzas are addressed to and stamped with bare JIDs.
      if (!r.origin) return true;
      if (r.toBare === r.origin.bare) return true;
      await subscription(r.origin.bare, r.toBare, type as SubscriptionType, stanza);
      return true;
    }
    if (type === 'probe') {
      // 4.3.2: answered only for contacts allowed to see us.
      const owner = localUser(r.toBare);
      if (owner === undefined) return true;
      const item = await roster.get(owner, bareOf(r.from));
      if ((item && hasFrom(item.subscription)) || bareOf(r.from) === r.toBare) sendCurrentPresence(r.toBare, r.from);
      return true;
    }
    // Directed presence (4.6): available, unavailable or error to a specific entity.
    if (r.origin && (type === undefined || type === 'unavailable')) {
      const item = await roster.get(r.origin.username, r.toBare);
      if (!item || !hasFrom(item.subscription)) {
        if (type === undefined) r.origin.directedPresence.add(r.to);
        else r.origin.directedPresence.delete(r.to);
      }
    }
    const targets = r.toResource !== undefined ? [ctx.sessions.get(r.to)].filter((s) => s !== undefined) : ctx.sessions.availableResourcesOf(r.toBare);
    for (const s of targets) {
      const copy = stanza.clone();
      copy.attrs.to = r.toResource !== undefined ? r.to : s!.full;
      s!.send(copy);
    }
    return true;
  };
  ctx.bus.on('presence/bare', addressed);
  ctx.bus.on('presence/full', addressed);
  ctx.bus.on<RoutedStanza>('presence/host', async () => true);

  // A session that ends without unavailable presence (4.5.1: the server generates it).
  ctx.bus.on<SessionEvent>('session-ended', async ({ session }) => {
    await goUnavailable(session);
  });
}
