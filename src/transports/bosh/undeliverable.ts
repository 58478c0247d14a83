// XEP-0206 section 7 (recipient-unavailable): what happens to a stanza that was on its way to a BOSH client
// whose session has ended (inactivity, terminate, shutdown) before the client collected it. Presence is
// dropped, an IQ request is answered with service-unavailable, and a message is answered with
// recipient-unavailable; a server that keeps offline messages stores the message instead (the last
// paragraph of section 7), which is what the local server does (DESIGN.md section 8: delivered, stored or
// bounced, never silently dropped).

import { NS } from '../../protocol/namespaces.js';
import { errorReply, mayReplyWithError } from '../../protocol/stanza-error.js';
import type { Element } from '../../xml/element.js';
import { parseDocument } from '../../xml/parse-document.js';

export type UndeliverableFate =
  | { readonly kind: 'drop' }
  /** An error reply to send back towards the stanza's sender. */
  | { readonly kind: 'reply'; readonly reply: Element }
  /** A message: store it offline if possible, else send `reply`. */
  | { readonly kind: 'message'; readonly stanza: Element; readonly reply: Element | undefined };

/** Parses one serialised element the stream engine had written and decides its fate. */
export function undeliverableFate(serialised: string): UndeliverableFate {
  let el: Element;
  try {
    el = parseDocument(serialised);
  } catch {
    return { kind: 'drop' };
  }
  // Only stanzas have senders to tell; stream features, SASL and the like were for this client alone.
  const ns = el.attrs.xmlns ?? NS.CLIENT;
  if (ns !== NS.CLIENT || el.prefix !== null) return { kind: 'drop' };
  switch (el.name) {
    case 'iq':
      return el.attrs.type === 'get' || el.attrs.type === 'set'
        ? { kind: 'reply', reply: errorReply(el, { condition: 'service-unavailable' }) }
        : { kind: 'drop' };
    case 'message':
      return {
        kind: 'message',
        stanza: el,
        reply: mayReplyWithError(el) ? errorReply(el, { condition: 'recipient-unavailable' }) : undefined,
      };
    default:
      return { kind: 'drop' };
  }
}
