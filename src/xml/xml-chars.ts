// XML 1.0 (Fifth Edition) section 2.2 (Char), 2.3 (Name, NameStartChar, NameChar), 2.11 (end-of-line
// handling), 3.3.3 (attribute-value normalisation) and 4.1/4.6 (character and predefined entity
// references), restricted per RFC 6120 section 11.1: the five predefined entities and character
// references are the only references allowed; any other entity reference is restricted-xml.

import { XmlParseError } from './xml-error.js';

/** ASCII lookup: 1 = may start a name, 2 = may continue a name (3 = both). */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (letter || c === 0x3a || c === 0x5f) ASCII_NAME[c] = 3;
  else if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) ASCII_NAME[c] = 2;
}

function isNonAsciiNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff)
  );
}

function isNonAsciiNameChar(c: number): boolean {
  return isNonAsciiNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/**
 * Index just past the Name starting at `i` (`i` itself when s[i] cannot start a name).
 * Astral name characters arrive as surrogate pairs; a lone surrogate ends the name.
 */
export function scanName(s: string, i: number): number {
  const len = s.length;
  let p = i;
  while (p < len) {
    const c = s.charCodeAt(p);
    if (c < 128) {
      if ((ASCII_NAME[c]! & (p === i ? 1 : 2)) === 0) return p;
      p++;
      continue;
    }
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && p + 1 < len) {
      const low = s.charCodeAt(p + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (!(p === i ? isNonAsciiNameStart(cp) : isNonAsciiNameChar(cp))) return p;
    p += width;
  }
  return p;
}

/** Whether s[i] can start a Name (used to classify `<x` as a start tag). */
export function startsName(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (ASCII_NAME[c]! & 1) !== 0;
  return scanName(s, i) > i;
}

/**
 * Namespaces in XML 1.0 section 3 (QName): at most one colon, neither first nor last.
 * Returns the colon's index within the name, or -1 for an unprefixed name.
 */
export function qnameColon(name: string): number {
  const colon = name.indexOf(':');
  if (colon === -1) return -1;
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) !== -1) {
    throw new XmlParseError('not-well-formed', `'${clip(name)}' is not a valid qualified name`);
  }
  return colon;
}

/** XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
export function isXmlChar(cp: number): boolean {
  return cp >= 0x20 ? cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff) : cp === 0x9 || cp === 0xa || cp === 0xd;
}

/**
 * Index of the first character in s[from, to) that is not an XML Char, or -1.
 * Surrogates are legal only as a well-formed pair; a high surrogate at `to` counts as lone.
 */
export function findIllegalChar(s: string, from: number, to: number): number {
  for (let p = from; p < to; p++) {
    const c = s.charCodeAt(p);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c < 0x20) {
      if (c === 0x9 || c === 0xa || c === 0xd) continue;
      return p;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = p + 1 < to ? s.charCodeAt(p + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        p++;
        continue;
      }
      return p;
    }
    if (c <= 0xdfff || c === 0xfffe || c === 0xffff) return p;
  }
  return -1;
}

/** Longest reference we wait for before calling it malformed (`&#x0010FFFF;` needs 12). */
export const MAX_REFERENCE_LENGTH = 64;

/**
 * Index of the ';' ending the reference whose '&' is at `amp`, or -1 when the data ends first.
 * Throws not-well-formed when a character that cannot be part of a reference comes before ';',
 * or when no ';' came within MAX_REFERENCE_LENGTH characters (decided at that length, whatever
 * follows, so the outcome does not depend on how the input was chunked).
 */
export function referenceEnd(s: string, amp: number): number {
  const len = s.length;
  for (let p = amp + 1; p < len; p++) {
    if (p - amp > MAX_REFERENCE_LENGTH) break;
    const c = s.charCodeAt(p);
    if (c === 0x3b) return p;
    if (c < 128 ? ASCII_NAME[c] === 0 && c !== 0x23 : !(c >= 0xd800 && c <= 0xdfff) && !isNonAsciiNameChar(c)) {
      throw new XmlParseError('not-well-formed', "'&' must start a reference ending in ';' (escape a literal & as &amp;)");
    }
  }
  if (len - amp > MAX_REFERENCE_LENGTH) throw new XmlParseError('not-well-formed', 'unterminated reference');
  return -1;
}

/** The text a complete reference s[amp..semi] stands for. */
export function decodeReference(s: string, amp: number, semi: number): string {
  const body = s.slice(amp + 1, semi);
  switch (body) {
    case 'lt': return '<';
    case 'gt': return '>';
    case 'amp': return '&';
    case 'quot': return '"';
    case 'apos': return "'";
  }
  if (body.charCodeAt(0) === 0x23) {
    const hex = body.charCodeAt(1) === 0x78;
    const digits = body.slice(hex ? 2 : 1);
    if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) {
      throw new XmlParseError('not-well-formed', `malformed character reference &${clip(body)};`);
    }
    const cp = parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(cp)) {
      throw new XmlParseError('not-well-formed', `character reference &${clip(body)}; is not a legal XML character`);
    }
    return String.fromCodePoint(cp);
  }
  if (body.length > 0 && scanName(body, 0) === body.length) {
    throw new XmlParseError('restricted-xml', `entity reference &${clip(body)}; is not allowed (only the five predefined entities are)`);
  }
  throw new XmlParseError('not-well-formed', `malformed reference &${clip(body)};`);
}

const ATTR_SPECIAL = /[<&\t\n\r\x00-\x1f\ud800-\udfff\ufffe\uffff]/;

/**
 * The value of a complete attribute value literal (the text between the quotes): references
 * replaced, literal whitespace normalised to spaces (section 3.3.3, after end-of-line handling),
 * '<' and illegal characters rejected.
 */
export function decodeAttributeValue(raw: string): string {
  if (!ATTR_SPECIAL.test(raw)) return raw;
  let out = '';
  let from = 0;
  const len = raw.length;
  for (let p = 0; p < len; p++) {
    const c = raw.charCodeAt(p);
    if (c === 0x3c) throw new XmlParseError('not-well-formed', "'<' is not allowed in an attribute value");
    if (c === 0x26) {
      const semi = referenceEnd(raw, p);
      if (semi === -1) throw new XmlParseError('not-well-formed', 'unterminated reference in an attribute value');
      out += raw.slice(from, p) + decodeReference(raw, p, semi);
      p = semi;
      from = semi + 1;
    } else if (c === 0x9 || c === 0xa || c === 0xd) {
      out += raw.slice(from, p) + ' ';
      if (c === 0xd && raw.charCodeAt(p + 1) === 0xa) p++;
      from = p + 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const low = raw.charCodeAt(p + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) throw new XmlParseError('not-well-formed', illegalCharMessage(raw, p));
      p++;
    } else if (c < 0x20 || (c >= 0xdc00 && c <= 0xdfff) || c >= 0xfffe) {
      throw new XmlParseError('not-well-formed', illegalCharMessage(raw, p));
    }
  }
  return out + raw.slice(from);
}

export function illegalCharMessage(s: string, p: number): string {
  return `illegal XML character U+${s.charCodeAt(p).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shortens user-controlled text quoted in error messages. */
export function clip(text: string): string {
  return text.length > 40 ? text.slice(0, 40) + '...' : text;
}
