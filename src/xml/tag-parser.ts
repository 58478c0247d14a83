// XML 1.0 section 3.1 (STag, ETag, EmptyElemTag, Attribute) and 3.3.3 (attribute-value normalisation),
// with the uniqueness rule of section 3.1 (WFC: Unique Att Spec). Parses one tag that starts at a '<'
// inside a larger string; returns -1 when the string ends before the tag does, so the tokenizer can
// wait for more input.

import type { Attributes } from './element.js';
import { decodeAttributeValue, scanName, clip } from './xml-chars.js';
import { XmlParseError } from './xml-error.js';

export const TAG_INCOMPLETE = -1;

const TAG_STOP = /[>"']/g;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
}

export class TagParser {
  /** Results of the last successful parse, read by the tokenizer right after the call. */
  name = '';
  attrs: Attributes = {};
  selfClosing = false;
  /** Whether any element or attribute name had a colon (only then are namespace rules checked). */
  prefixed = false;
  /** See findEnd. */
  quote = 0;

  constructor(
    private readonly maxAttributes: number,
    private readonly maxNameLength: number,
  ) {}

  /** Parses `<name attr='v' ...>` or `.../>` at s[i] == '<'; returns the index of the closing '>'. */
  parseStartTag(s: string, i: number): number {
    const len = s.length;
    let p = scanName(s, i + 1);
    if (p >= len) return TAG_INCOMPLETE;
    const name = s.slice(i + 1, p);
    this.checkNameLength(name, 'element');
    let prefixed = name.indexOf(':') !== -1;
    const attrs: Attributes = {};
    let count = 0;
    for (;;) {
      const spaceStart = p;
      while (p < len && isSpace(s.charCodeAt(p))) p++;
      if (p >= len) return TAG_INCOMPLETE;
      const c = s.charCodeAt(p);
      if (c === 0x3e) {
        this.selfClosing = false;
        break;
      }
      if (c === 0x2f) {
        if (p + 1 >= len) return TAG_INCOMPLETE;
        if (s.charCodeAt(p + 1) !== 0x3e) throw new XmlParseError('not-well-formed', "'/' in a tag must be followed by '>'");
        p++;
        this.selfClosing = true;
        break;
      }
      const nameEnd = scanName(s, p);
      if (nameEnd === p) throw new XmlParseError('not-well-formed', `unexpected '${s[p]}' in the tag <${clip(name)}>`);
      if (p === spaceStart) throw new XmlParseError('not-well-formed', 'attributes must be separated by whitespace');
      if (nameEnd >= len) return TAG_INCOMPLETE;
      const attrName = s.slice(p, nameEnd);
      this.checkNameLength(attrName, 'attribute');
      p = nameEnd;
      while (p < len && isSpace(s.charCodeAt(p))) p++;
      if (p >= len) return TAG_INCOMPLETE;
      if (s.charCodeAt(p) !== 0x3d) throw new XmlParseError('not-well-formed', `attribute '${clip(attrName)}' has no value`);
      p++;
      while (p < len && isSpace(s.charCodeAt(p))) p++;
      if (p >= len) return TAG_INCOMPLETE;
      const quote = s.charCodeAt(p);
      if (quote !== 0x22 && quote !== 0x27) throw new XmlParseError('not-well-formed', 'attribute values must be quoted');
      // one scan finds the closing quote, or first a character that needs decoding or rejecting
      let close = p + 1;
      for (; close < len; close++) {
        const v = s.charCodeAt(close);
        if (v === quote || v < 0x20 || v === 0x3c || v === 0x26 || v >= 0xd800) break;
      }
      if (close >= len) return TAG_INCOMPLETE;
      let value: string;
      if (s.charCodeAt(close) === quote) {
        value = s.slice(p + 1, close);
      } else {
        close = s.indexOf(quote === 0x22 ? '"' : "'", close);
        if (close === -1) return TAG_INCOMPLETE;
        value = decodeAttributeValue(s.slice(p + 1, close));
      }
      // a plain lookup first: hasOwn only for names that exist on Object.prototype ('constructor')
      if (attrs[attrName] !== undefined && Object.hasOwn(attrs, attrName)) throw new XmlParseError('not-well-formed', `duplicate attribute '${clip(attrName)}'`);
      if (++count > this.maxAttributes) {
        throw new XmlParseError('policy-violation', `more than ${this.maxAttributes} attributes on one element`);
      }
      if (attrName === '__proto__') Object.defineProperty(attrs, attrName, { value, enumerable: true, writable: true, configurable: true });
      else attrs[attrName] = value;
      if (!prefixed && attrName.indexOf(':') !== -1) prefixed = true;
      p = close + 1;
    }
    this.name = name;
    this.attrs = attrs;
    this.prefixed = prefixed;
    return p;
  }

  /**
   * Parses `</name>` at s[i] == '<', s[i+1] == '/'; returns the index of the closing '>'. `expected`,
   * the open element's name, is compared in place first: the usual end tag needs no new string.
   */
  parseEndTag(s: string, i: number, expected: string): number {
    const len = s.length;
    const after = i + 2 + expected.length;
    if (after < len && s.charCodeAt(after) === 0x3e && s.startsWith(expected, i + 2)) {
      this.name = expected;
      return after;
    }
    let p = scanName(s, i + 2);
    if (p >= len) return TAG_INCOMPLETE;
    if (p === i + 2) throw new XmlParseError('not-well-formed', "'</' must be followed by an element name");
    const name = s.slice(i + 2, p);
    this.checkNameLength(name, 'element');
    while (p < len && isSpace(s.charCodeAt(p))) p++;
    if (p >= len) return TAG_INCOMPLETE;
    if (s.charCodeAt(p) !== 0x3e) throw new XmlParseError('not-well-formed', `unexpected '${s[p]}' in the end tag </${clip(name)}>`);
    this.name = name;
    return p;
  }

  /**
   * Index of the '>' ending a tag, scanning s from `from` with `quote` (0, or the quote character of
   * an attribute value left open by the previous chunk); -1 if s ends first, leaving the quote state
   * in this.quote. Only quotes and '>' matter, so a tag is found whole before it is parsed.
   */
  findEnd(s: string, from: number, quote: number): number {
    let p = from;
    let q = quote;
    for (;;) {
      if (q !== 0) {
        const close = s.indexOf(q === 0x22 ? '"' : "'", p);
        if (close === -1) {
          this.quote = q;
          return -1;
        }
        p = close + 1;
        q = 0;
      }
      TAG_STOP.lastIndex = p;
      if (!TAG_STOP.test(s)) {
        this.quote = 0;
        return -1;
      }
      const j = TAG_STOP.lastIndex - 1;
      const c = s.charCodeAt(j);
      if (c === 0x3e) return j;
      q = c;
      p = j + 1;
    }
  }

  private checkNameLength(name: string, what: string): void {
    if (name.length > this.maxNameLength) {
      throw new XmlParseError('policy-violation', `${what} name longer than ${this.maxNameLength} characters`);
    }
  }
}
