// XEP-0280 sections 7 and 8: the forwarded copy, wrapped per XEP-0297 — from the user's bare JID, to
// the receiving resource, the original's type kept, and the original message inside
// <sent/> or <received/> <forwarded/>.

import { xml, type Element } from '../../xml/element.js';
import { NS } from '../../protocol/namespaces.js';
import { CARBONS, type CarbonDirection } from './eligibility.js';

/**
 * The copy for one resource. `inner` is the original, already cloned and given the jabber:client
 * namespace (it is serialised inside urn:xmpp:forward:0, where it would otherwise inherit that).
 */
export function carbonCopy(direction: CarbonDirection, userBare: string, toFull: string, inner: Element): Element {
  const attrs: Record<string, string> = { xmlns: NS.CLIENT, from: userBare, to: toFull };
  if (inner.attrs.type !== undefined) attrs.type = inner.attrs.type;
  return xml('message', attrs, xml(direction, { xmlns: CARBONS }, xml('forwarded', { xmlns: NS.FORWARD }, inner)));
}

/** The original as it travels inside every copy (one clone shared by all copies of one message). */
export function forwardedOriginal(message: Element): Element {
  const inner = message.clone();
  inner.attrs.xmlns = NS.CLIENT;
  return inner;
}
