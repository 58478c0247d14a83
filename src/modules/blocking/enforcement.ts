// XEP-0191 section 3.3, enforced where every stanza passes, the router's hooks: from a blocked JID to
// the user, presence is dropped without a word, messages and get/set IQs are answered with
// service-unavailable (so the user appears offline), other IQs dropped; from the user to a blocked JID,
// nothing is routed and the user's client gets not-acceptable with <blocked/>. Stanzas between the
// user's own resources are never blocked (section 4, note on privacy lists). Presence the presence
// module writes to sessions itself (broadcasts, probe answers) passes its 'presence/peers' filter,
// answered here, so a blocked entity and the user see none of each other's presence. Pubsub and PEP
// notifications, written to sessions without the router, pass the sender filter this module supplies
// through 'delivery/sender-filter' (src/modules/pubsub/stanza-delivery.ts): a PEP notification comes
// from the account (bob@domain), a pubsub one from the service (pubsub.domain), each matched as in
// section 5, so blocking bob withholds his PEP events and blocking pubsub.domain the service's.
// A list the store cannot supply (database outage) blocks nothing, with a warning (blocklist-cache.ts).

import { xml } from '../../xml/element.js';
import { errorReply } from '../../protocol/stanza-error.js';
import type { ModuleContext, PresencePeersEvent } from '../../core/module-context.js';
import type { ClientSession } from '../../core/client-session.js';
import type { RoutedStanza } from '../../core/router.js';
import { bareOf } from '../../core/router.js';
import type { BlocklistCache } from './blocklist-cache.js';
import { isBlockedBy } from './jid-matching.js';
import type { SenderFilter, SenderFilterEvent } from '../pubsub/stanza-delivery.js';

export const BLOCKING_ERRORS = 'urn:xmpp:blocking:errors';

/** Above the modules that take stanzas (presence, PEP, carbons): the block decides first. */
const PRIORITY = 100;

export function enforceBlocking(ctx: ModuleContext, lists: BlocklistCache): void {
  ctx.bus.on<RoutedStanza>(
    'stanza/inbound',
    async ({ stanza, from, toBare, origin }) => {
      if (bareOf(from) === toBare) return false;
      const user = toBare.slice(0, toBare.indexOf('@'));
      if (!isBlockedBy(lists.cached(user) ?? (await lists.lookup(user)), from)) return false;
      const type = stanza.attrs.type;
      if (stanza.name === 'message' || (stanza.name === 'iq' && (type === 'get' || type === 'set'))) {
        ctx.router.bounce(stanza, 'service-unavailable', origin);
      }
      return true;
    },
    PRIORITY,
  );

  ctx.bus.on<RoutedStanza>(
    'stanza/outbound',
    async ({ stanza, to, toBare, origin }) => {
      if (!origin || toBare === origin.bare) return false;
      if (!isBlockedBy(lists.cached(origin.username) ?? (await lists.lookup(origin.username)), to)) return false;
      if (stanza.attrs.type !== 'error' && !(stanza.name === 'iq' && stanza.attrs.type === 'result')) {
        const reply = errorReply(stanza, {
          condition: 'not-acceptable',
          type: 'cancel',
          application: xml('blocked', { xmlns: BLOCKING_ERRORS }),
        });
        ctx.router.deliverReply(reply, origin);
      }
      return true;
    },
    PRIORITY,
  );

  // Per recipient a map lookup; the sender is asked for only when the account blocks something. A list
  // not in memory (a session of another cluster process) leaves the stanza to the router's hook above.
  const senderFilter: SenderFilter = (user, sender) => {
    const own = lists.cached(user);
    if (own === undefined) return undefined;
    if (own.size === 0) return false;
    const from = sender();
    return bareOf(from) !== `${user}@${ctx.domain}` && isBlockedBy(own, from);
  };
  ctx.bus.on<SenderFilterEvent>('delivery/sender-filter', (e) => {
    e.filter ??= senderFilter;
  });
  void ctx.bus.broadcast<SenderFilterEvent>('delivery/sender-filter', { filter: senderFilter });

  ctx.bus.on<PresencePeersEvent>('presence/peers', async (e) => {
    const bare = bareOf(e.jid);
    const user = bare.slice(0, bare.indexOf('@'));
    const own = lists.cached(user) ?? (await lists.lookup(user));
    let kept: ClientSession[] | undefined;
    for (let i = 0; i < e.peers.length; i++) {
      const peer = e.peers[i]!;
      const blocked =
        peer.bare !== bare &&
        (isBlockedBy(own, peer.full) || isBlockedBy(lists.cached(peer.username) ?? (await lists.lookup(peer.username)), e.jid));
      // Nothing is copied until the first blocked peer (the common case is none).
      if (blocked) kept ??= e.peers.slice(0, i);
      else kept?.push(peer);
    }
    if (kept) e.peers = kept;
  });
}
