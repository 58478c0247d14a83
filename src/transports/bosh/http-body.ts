// XEP-0124 section 4 (the <body/> wrapper: one element in the httpbind namespace whose content is complete
// child elements only, no character data) and section 5 (ignore the request Content-Type; a request body may
// be compressed with an encoding from the 'accept' the connection manager advertised, section 7.2). Turns
// the bytes of one POST into what the BOSH engine takes, or says why it cannot.
// Comments, processing instructions, DTDs and entity references other than the predefined ones are already
// refused by the restricted-XML tokenizer (RFC 6120 section 11), which parseDocument shares.

import { gunzipSync, inflateSync } from 'node:zlib';
import { NS } from '../../protocol/namespaces.js';
import type { Element } from '../../xml/element.js';
import { parseDocument } from '../../xml/parse-document.js';

export interface BodyLimits {
  /** Bytes of the (decompressed) <body/> document. */
  maxBodyBytes: number;
  /** Nesting depth of a payload (the <body/> itself not counted). */
  maxDepth: number;
}

export type ReadBody =
  /** A well-formed <body/>: its attributes and payload elements. */
  | { readonly kind: 'body'; readonly attrs: Record<string, string>; readonly payload: Element[] }
  /** Not acceptable, but its root's attributes could be read, so the session it names can be told (and ended). */
  | { readonly kind: 'malformed'; readonly attrs: Record<string, string>; readonly reason: string }
  /** Nothing usable: an empty POST, unreadable bytes, or a root whose start tag does not parse. */
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * RFC 6120 section 11.6: a body that is not UTF-8 is not XML. One decoder for every request (a whole-input
 * decode keeps no state between calls), rather than one constructed per request.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });
const INVALID_UTF8 = 'invalid UTF-8 (RFC 6120 section 11.6)';

/** Section 7.2 'accept': what the adapter can decompress. One token, so that it reads the same split on spaces or commas. */
export const ACCEPTED_REQUEST_ENCODINGS = 'gzip';

/** Undoes a request Content-Encoding; undefined when the encoding is unknown or the data is corrupt or too large. */
export function decodeRequestBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer | undefined {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  try {
    // maxOutputLength makes a decompression bomb fail instead of filling memory.
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw, { maxOutputLength: maxBytes + 1 });
    if (encoding === 'deflate') return inflateSync(raw, { maxOutputLength: maxBytes + 1 });
  } catch {
    return undefined;
  }
  return encoding === 'identity' || encoding === '' ? raw : undefined;
}

export function readBoshBody(bytes: Buffer, limits: BodyLimits): ReadBody {
  if (isBlank(bytes)) return { kind: 'unreadable', reason: 'empty request body' };
  if (bytes.length > limits.maxBodyBytes) return fromStartTag(bytes, 'request body too large');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fromStartTag(bytes, INVALID_UTF8);
  }
  let root: Element;
  try {
    root = parseDocument(text, { maxStanzaBytes: limits.maxBodyBytes, maxDepth: limits.maxDepth + 1 });
  } catch (err) {
    return fromStartTag(bytes, (err as Error).message);
  }
  const attrs = root.attrs;
  if (root.localName !== 'body' || root.getNS() !== NS.HTTPBIND) {
    return { kind: 'malformed', attrs, reason: `the root must be <body xmlns='${NS.HTTPBIND}'/>` };
  }
  const payload: Element[] = [];
  for (const child of root.children) {
    if (typeof child !== 'string') payload.push(child);
    // Whitespace between payloads is formatting (the XEP's own examples indent); anything else is character data.
    else if (!isXmlWhitespace(child)) return { kind: 'malformed', attrs, reason: 'character data directly inside <body/>' };
  }
  return { kind: 'body', attrs, payload };
}

/**
 * A request that failed as a whole may still name its session in the root's start tag; reading just that tag
 * lets the session end with 'bad-request' rather than linger until inactivity.
 */
function fromStartTag(bytes: Buffer, reason: string): ReadBody {
  const head = bytes.subarray(0, Math.min(bytes.length, 8192)).toString('utf8');
  const end = startTagEnd(head);
  if (end === -1) return { kind: 'unreadable', reason };
  const start = skipProlog(head);
  const selfClosing = head[end - 1] === '/';
  try {
    const root = parseDocument(selfClosing ? head.slice(start, end + 1) : `${head.slice(start, end)}/>`);
    if (root.localName === 'body' && root.getNS() === NS.HTTPBIND) return { kind: 'malformed', attrs: root.attrs, reason };
  } catch {
    // falls through: not even the start tag is usable
  }
  return { kind: 'unreadable', reason };
}

/** Index of the '>' closing the root's start tag, skipping the prolog (declaration, comments, PIs, a DTD). */
function startTagEnd(text: string): number {
  let i = skipProlog(text);
  if (i === -1 || text[i] !== '<') return -1;
  let quote = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return j;
    } else if (c === '<') {
      return -1;
    }
  }
  return -1;
}

function skipProlog(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
    if (text.startsWith('<?', i)) i = after(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = after(text, '-->', i);
    else if (text.startsWith('<!DOCTYPE', i)) i = afterDoctype(text, i);
    else return i;
    if (i === -1) return -1;
  }
}

function after(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from);
  return at === -1 ? -1 : at + end.length;
}

/** A DOCTYPE ends at the first '>' outside its internal subset and outside quotes. */
function afterDoctype(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let j = from; j < text.length; j++) {
    const c = text[j]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
    } else if (c === '>' && depth <= 0) {
      return j + 1;
    }
  }
  return -1;
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

function isXmlWhitespace(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}
