// What a '<' starts, per XML 1.0 sections 2.5-2.8 and 3.1, under RFC 6120 section 11.1: comments,
// processing instructions and DTDs (any '<!' markup declaration) are restricted-xml; a CDATA section
// (2.7) is allowed; the XML declaration (2.8, RFC 6120 section 11.5) only at the very start.
// Decided from the fewest characters possible, so the answer never depends on how input was chunked.

import { XmlParseError } from './xml-error.js';
import { startsName } from './xml-chars.js';

export const START_TAG = 0;
export const END_TAG = 1;
export const CDATA_SECTION = 2;
export const XML_DECLARATION = 3;
/** Not decidable yet: wait for more input. */
export const NEED_MORE = 4;

/** Longest XML declaration accepted; it waits for its end across chunks, so it must be bounded. */
const MAX_DECLARATION = 1024;
const CDATA_OPEN = '<![CDATA[';
const S = '[ \\t\\r\\n]';
const DECLARATION = new RegExp(
  `^<\\?xml${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')` +
    `(?:${S}+encoding${S}*=${S}*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?` +
    `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>$`,
);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Classifies the markup at s[i] == '<'. `atStart`: nothing at all came before it. */
export function classifyMarkup(s: string, i: number, atStart: boolean): number {
  if (i + 1 >= s.length) return NEED_MORE;
  const c = s.charCodeAt(i + 1);
  if (c === 0x2f) return END_TAG;
  if (c === 0x21) {
    if (i + 2 >= s.length) return NEED_MORE;
    const d = s.charCodeAt(i + 2);
    if (d === 0x2d) throw new XmlParseError('restricted-xml', 'comments are not allowed (RFC 6120 section 11.1)');
    if (d >= 0x41 && d <= 0x5a) {
      throw new XmlParseError('restricted-xml', 'document type and markup declarations are not allowed (RFC 6120 section 11.1)');
    }
    const head = s.slice(i, i + CDATA_OPEN.length);
    if (head === CDATA_OPEN) return CDATA_SECTION;
    if (head.length < CDATA_OPEN.length && CDATA_OPEN.startsWith(head)) return NEED_MORE;
    throw new XmlParseError('not-well-formed', "'<!' must start a CDATA section");
  }
  if (c === 0x3f) {
    if (atStart) {
      const head = s.slice(i, i + 6);
      if (head.length < 6 && '<?xml'.startsWith(head.slice(0, 5))) return NEED_MORE;
      if (head.startsWith('<?xml') && isSpace(head.charCodeAt(5))) return XML_DECLARATION;
    }
    throw new XmlParseError('restricted-xml', 'processing instructions are not allowed (RFC 6120 section 11.1)');
  }
  if (startsName(s, i + 1)) return START_TAG;
  throw new XmlParseError('not-well-formed', "'<' must start a tag (a literal '<' is written &lt;)");
}

/** Index just past the XML declaration at s[i], or -1 when it has not ended yet; throws if malformed. */
export function declarationEnd(s: string, i: number): number {
  const close = s.indexOf('?>', i + 5);
  if (close === -1 ? s.length - i > MAX_DECLARATION : close + 2 - i > MAX_DECLARATION) {
    throw new XmlParseError('not-well-formed', 'unterminated XML declaration');
  }
  if (close === -1) return -1;
  const match = DECLARATION.exec(s.slice(i, close + 2));
  if (match === null) throw new XmlParseError('not-well-formed', 'malformed XML declaration');
  const encoding = match[1] ?? match[2];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
    throw new XmlParseError('not-well-formed', `unsupported encoding '${encoding.slice(0, 40)}': XMPP is UTF-8 only (RFC 6120 section 11.6)`);
  }
  return close + 2;
}
