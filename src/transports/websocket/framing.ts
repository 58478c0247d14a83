// RFC 7395 section 3.3: XMPP framing over WebSocket. There is no enclosing <stream:stream>: the
// stream "headers" are the complete elements <open/> and <close/> in the framing namespace
// (3.3.2, 3.4, 3.6), and every stanza travels as its own message with its namespace declared on it
// (3.3.3). This file holds the serialisations and the classification of an incoming element.

import { randomBytes } from 'node:crypto';
import { Element } from '../../xml/element.js';
import { escapeAttribute } from '../../xml/escape.js';
import { NS } from '../../protocol/namespaces.js';

/**
 * Exactly what Strophe.js compares incoming messages against (string equality) to recognise the
 * server's close; any other spelling makes it treat the close as a stanza.
 */
export const CLOSE_FRAME = `<close xmlns="${NS.FRAMING}" />`;

/** 3.4: the server's answer to <open/>. Starts with `<open ` because Strophe.js tests for that prefix. */
export function openFrame(attrs: Record<string, string>): string {
  let out = `<open xmlns="${NS.FRAMING}"`;
  for (const [name, value] of Object.entries(attrs)) out += ` ${name}="${escapeAttribute(value)}"`;
  return out + '/>';
}

/** 3.6.1: a close that sends the client elsewhere (replaces the see-other-host stream error). */
export function closeFrame(seeOtherUri?: string): string {
  if (seeOtherUri === undefined) return CLOSE_FRAME;
  return `<close xmlns="${NS.FRAMING}" see-other-uri="${escapeAttribute(seeOtherUri)}" />`;
}

/** Attributes of an <open/> for a stream the server refuses before any negotiation (redirects). */
export function refusalOpenAttributes(domain: string): Record<string, string> {
  return { from: domain, id: randomBytes(12).toString('base64url'), version: '1.0', 'xml:lang': 'en' };
}

/**
 * 3.3.3: a stanza sent without a namespace is treated as qualified by 'jabber:client'. Giving it
 * this parent (as the stream root does on TCP) makes getNS() answer so without touching the element.
 */
export const CLIENT_SCOPE = new Element('stream', { xmlns: NS.CLIENT });

export type FrameKind = 'open' | 'close' | 'misqualified-open' | 'element';

/** What an incoming message's single element is, for the connection's dispatch. */
export function classifyFrame(el: Element): FrameKind {
  const local = el.localName;
  if (local === 'open' || local === 'close') {
    if (el.getNS() === NS.FRAMING) return local;
    // An <open/> in another namespace (e.g. jabber:client, as pre-RFC drafts had it) is still a header.
    if (local === 'open') return 'misqualified-open';
  }
  if (local === 'stream' && el.prefix === 'stream') return 'misqualified-open';
  return 'element';
}

const STANZA_NAMES = new Set(['message', 'presence', 'iq']);

/**
 * 3.3.3 and DESIGN.md: outgoing stanzas carry xmlns='jabber:client', because a WebSocket message
 * has no stream root to inherit it from. Modules build replies without a namespace, so the
 * transport adds it here by looking at the start tag only (no reparse, no tree walk).
 */
export function qualifyStanza(serialised: string): string {
  if (serialised.charCodeAt(0) !== 60 /* < */) return serialised;
  let nameEnd = 1;
  while (nameEnd < serialised.length) {
    const c = serialised.charCodeAt(nameEnd);
    if (isSpace(c) || c === 47 /* / */ || c === 62 /* > */) break;
    nameEnd++;
  }
  if (!STANZA_NAMES.has(serialised.slice(1, nameEnd))) return serialised;
  if (declaresDefaultNamespace(serialised, nameEnd)) return serialised;
  return `${serialised.slice(0, nameEnd)} xmlns='${NS.CLIENT}'${serialised.slice(nameEnd)}`;
}

/** Whether the start tag has an attribute named exactly `xmlns`; quoted values are skipped. */
function declaresDefaultNamespace(s: string, from: number): boolean {
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62 /* > */) {
      return false;
    } else if (isSpace(c) && s.startsWith('xmlns', i + 1)) {
      let j = i + 6;
      while (isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) === 61 /* = */) return true;
    }
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
