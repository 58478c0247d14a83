// XEP-0206 section 2 and RFC 7395 section 3.3.3: an element taken out of the server's stream inherits its
// namespaces from the stream root there, but inside a BOSH <body/> or a WebSocket message it must declare them
// itself (stanzas: xmlns='jabber:client'; <stream:features/>, <stream:error/>: xmlns:stream). And XEP-0206
// section 7 for a connection manager: stanzas the client can no longer receive are answered to the server.
// SASL channel binding (RFC 5802 -PLUS mechanisms, XEP-0440) binds to the TLS the server sees, which ends
// at the connection manager: the client cannot use it, so it is not offered.

import { NS } from '../../protocol/namespaces.js';
import type { Element } from '../../xml/element.js';
import { undeliverableFate } from '../bosh/undeliverable.js';

const SASL_CHANNEL_BINDING = 'urn:xmpp:sasl-cb:0';

/** Serialises a first-level element of the server's stream so that it stands on its own. */
export function standalone(el: Element): string {
  if (el.localName === 'features' && el.getNS() === NS.STREAM) withoutChannelBinding(el);
  const ns = el.getNS() ?? NS.CLIENT;
  if (el.prefix === null) {
    if (el.attrs.xmlns === undefined) el.attrs.xmlns = ns;
  } else if (el.attrs[`xmlns:${el.prefix}`] === undefined) {
    el.attrs[`xmlns:${el.prefix}`] = ns;
  }
  return el.toString();
}

/**
 * What to send back to the server for a stanza the client never got: an IQ request gets service-unavailable,
 * a message recipient-unavailable (the server may then store it offline), presence nothing.
 */
export function upstreamBounce(serialised: string): string | undefined {
  const fate = undeliverableFate(serialised);
  if (fate.kind === 'reply') return fate.reply.toString();
  if (fate.kind === 'message') return fate.reply?.toString();
  return undefined;
}

function withoutChannelBinding(features: Element): void {
  for (const cb of features.getChildren('sasl-channel-binding', SASL_CHANNEL_BINDING)) features.remove(cb);
  const mechanisms = features.getChild('mechanisms', NS.SASL);
  if (!mechanisms) return;
  for (const m of mechanisms.getChildren('mechanism')) if (m.text().trim().endsWith('-PLUS')) mechanisms.remove(m);
}
