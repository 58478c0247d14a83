// RFC 5802 section 7 (SCRAM message grammar): the client-first-message-bare and the
// client-final-message a server has to read, attribute by attribute and in the order the grammar
// fixes. Parsing answers either the fields or the SASL failure condition the input deserves.

import type { SaslFailure } from './mechanism.js';
import { decodeSaslname } from './gs2-header.js';
import { decodeBase64 } from './message-encoding.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; condition: SaslFailure; text: string };

function bad(condition: SaslFailure, text: string): { ok: false; condition: SaslFailure; text: string } {
  return { ok: false, condition, text };
}

// printable = %x21-2B / %x2D-7E: visible ASCII except ','
const RE_NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
const RE_ATTR_VAL = /^[A-Za-z]=[^,]+$/;

export interface ClientFirstBare {
  /** The username as sent, saslname-decoded but not yet normalised. */
  username: string;
  clientNonce: string;
}

/** client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions] */
export function parseClientFirstBare(bare: string): Parsed<ClientFirstBare> {
  const attrs = bare.split(',');
  if (attrs[0]?.startsWith('m=')) return bad('malformed-request', 'the reserved m= extension is not supported');
  if (attrs.length < 2) return bad('malformed-request', 'expected n= and r=');
  const [n, r, ...extensions] = attrs;
  if (!n.startsWith('n=')) return bad('malformed-request', 'expected n= first');
  const username = decodeSaslname(n.slice(2));
  if (username === undefined) return bad('malformed-request', 'username is not a valid saslname');
  if (!r.startsWith('r=')) return bad('malformed-request', 'expected r= after n=');
  const clientNonce = r.slice(2);
  if (!RE_NONCE.test(clientNonce)) return bad('malformed-request', 'nonce is empty or not printable');
  // Unrecognised extensions are ignored (RFC 5802 section 7), but they must still be attr=value.
  if (!extensions.every((e) => RE_ATTR_VAL.test(e))) return bad('malformed-request', 'malformed extension');
  return { ok: true, value: { username, clientNonce } };
}

export interface ClientFinal {
  channelBinding: Buffer;
  nonce: string;
  proof: Buffer;
  /** client-final-message-without-proof, which goes into AuthMessage. */
  withoutProof: string;
}

/** client-final-message = channel-binding "," nonce ["," extensions] "," proof */
export function parseClientFinal(message: string): Parsed<ClientFinal> {
  const attrs = message.split(',');
  if (attrs.length < 3) return bad('malformed-request', 'expected c=, r= and p=');
  const c = attrs[0];
  const r = attrs[1];
  const p = attrs[attrs.length - 1];
  const extensions = attrs.slice(2, -1);
  if (!c.startsWith('c=')) return bad('malformed-request', 'expected c= first');
  if (!r.startsWith('r=')) return bad('malformed-request', 'expected r= after c=');
  if (!p.startsWith('p=')) return bad('malformed-request', 'expected p= last');
  if (!extensions.every((e) => RE_ATTR_VAL.test(e) && !e.startsWith('p='))) {
    return bad('malformed-request', 'malformed extension');
  }
  const nonce = r.slice(2);
  if (!RE_NONCE.test(nonce)) return bad('malformed-request', 'nonce is empty or not printable');
  const channelBinding = decodeBase64(c.slice(2));
  if (!channelBinding) return bad('incorrect-encoding', 'c= is not valid base64');
  const proof = decodeBase64(p.slice(2));
  if (!proof) return bad('incorrect-encoding', 'p= is not valid base64');
  return { ok: true, value: { channelBinding, nonce, proof, withoutProof: message.slice(0, message.length - p.length - 1) } };
}
