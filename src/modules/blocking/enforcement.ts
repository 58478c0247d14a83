// XEP-0191 section 3.3, enforced where every stanza passes, the router's hooks: from a blocked JID to
// the user, presence is dropped without a word, messages and get/set IQs are answered with
// service-unavailable (so the user appears offline), other IQs dropped; from the user to a blocked JID,
// nothing is routed and the user's client gets not-acceptable with <blocked/>. Stanzas between the
// user's own resources are never blocked (section 4, note on privacy lists).

import { xml } from '../../xml/element.js';
import { errorReply } from '../../protocol/stanza-error.js';
import type { ModuleContext } from '../../core/module-context.js';
import type { RoutedStanza } from '../../core/router.js';
import { bareOf } from '../../core/router.js';
import type { BlocklistCache } from './blocklist-cache.js';
import { isBlockedBy } from './jid-matching.js';

export const BLOCKING_ERRORS = 'urn:xmpp:blocking:errors';

/** Above the modules that take stanzas (presence, PEP, carbons): the block decides first. */
const PRIORITY = 100;

export function enforceBlocking(ctx: ModuleContext, lists: BlocklistCache): void {
  ctx.bus.on<RoutedStanza>(
    'stanza/inbound',
    async ({ stanza, from, toBare, origin }) => {
      if (bareOf(from) === toBare) return false;
      const user = toBare.slice(0, toBare.indexOf('@'));
      if (!isBlockedBy(await lists.get(user), from)) return false;
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
      if (!isBlockedBy(await lists.get(origin.username), to)) return false;
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
}
