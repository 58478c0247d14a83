// XEP-0280 (1.0.1) section 6.1, the recommended rules for which messages are carbon-copied, and
// section 7 with XEP-0334 section 4.3: <private/> and <no-copy/> keep a message out of carbons.
// The "error in response to an eligible message" rule needs per-message tracking the server does
// not do, so urn:xmpp:carbons:rules:0 (section 6.2) is not advertised.

import type { Element } from '../../xml/element.js';

export const CARBONS = 'urn:xmpp:carbons:2';
export const HINTS = 'urn:xmpp:hints';

const CHAT_STATES = 'http://jabber.org/protocol/chatstates'; // XEP-0085
const RECEIPTS = 'urn:xmpp:receipts'; // XEP-0184
const CHAT_MARKERS = 'urn:xmpp:chat-markers:0'; // XEP-0333
const MUC_USER = 'http://jabber.org/protocol/muc#user'; // XEP-0045
const DIRECT_INVITE = 'jabber:x:conference'; // XEP-0249
const IM_PAYLOADS = new Set([CHAT_STATES, RECEIPTS, CHAT_MARKERS]);

/** sent: from one of the user's resources; received: addressed to the user. */
export type CarbonDirection = 'sent' | 'received';

export function isCarbonEligible(message: Element, direction: CarbonDirection): boolean {
  const type = message.attrs.type ?? 'normal';
  // Groupchat is replicated by the room itself; errors would need the tracking described above.
  if (type === 'groupchat' || type === 'error') return false;
  let imPayload = false;
  let mucUser: Element | undefined;
  let invitation = false;
  for (const child of message.getChildElements()) {
    const ns = child.getNS();
    if (ns === CARBONS) {
      // <private/>, and never a carbon of a carbon (<sent/> or <received/> inside).
      return false;
    }
    if (ns === HINTS && child.localName === 'no-copy') return false;
    if (ns !== undefined && IM_PAYLOADS.has(ns)) imPayload = true;
    else if (ns === DIRECT_INVITE && child.localName === 'x') invitation = true;
    else if (ns === MUC_USER && child.localName === 'x') {
      mucUser = child;
      if (child.getChild('invite', MUC_USER)) invitation = true;
    }
  }
  if (invitation) return true; // direct (XEP-0249) and mediated (XEP-0045 7.8.2) invitations
  // A private message from a room occupant already reaches every joined client through the room.
  if (mucUser && direction === 'received') return false;
  if (type === 'chat') return true;
  if (type === 'normal' && message.getChild('body') !== undefined) return true;
  return imPayload;
}
