// XML 1.0 section 2.4 (character data: no '<', no bare '&', no ']]>'), 2.7 (CDATA sections), 2.11
// (CR LF and lone CR become LF) and 4.6 (references; restricted per RFC 6120 section 11.1 by
// decodeReference). Scans one piece of text or CDATA content in a chunk. What might continue in the
// next chunk (a partial reference, ']' or ']]', a CR before a possible LF) is left for the caller to
// carry over, so the result never depends on where the chunk ended.

import { decodeReference, findIllegalChar, illegalCharMessage, referenceEnd } from './xml-chars.js';
import { XmlParseError } from './xml-error.js';

const LT = 0x3c, AMP = 0x26, RSQB = 0x5d, CR = 0x0d, LF = 0x0a;
const TEXT_STOP = /[<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/g;
const CDATA_SPECIAL = /[\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;

/** The result of one scan; one instance is reused so scanning allocates nothing but the text. */
export class CharacterDataScan {
  /** The decoded text of s[start, end). */
  text = '';
  /** Where the scan stopped: a '<', the end of the chunk, or the start of what must be carried over. */
  end = 0;
  /** Whether s[end..] must be carried over to the next chunk. */
  carry = false;
  /** For CDATA: whether the section closed at `end` (its ']]>' follows). */
  closed = false;
  /** Index of the first violation, or -1; `error` says what it is. */
  errorAt = -1;
  error: XmlParseError | null = null;

  private fail(at: number, error: XmlParseError): void {
    this.errorAt = at;
    this.error = error;
  }

  /** Text from s[i] (not '<') up to the next '<' or the end of s. `final`: no more input will come. */
  scanText(s: string, i: number, final: boolean): void {
    this.errorAt = -1;
    this.carry = false;
    const len = s.length;
    TEXT_STOP.lastIndex = i;
    let j = TEXT_STOP.test(s) ? TEXT_STOP.lastIndex - 1 : len;
    if (j === len || s.charCodeAt(j) === LT) {
      this.text = s.slice(i, j);
      this.end = j;
      return;
    }
    let out = '';
    let from = i;
    for (;;) {
      const c = j < len ? s.charCodeAt(j) : LT;
      if (c === LT) break;
      let next = j + 1;
      if (c === AMP) {
        let semi: number;
        try {
          semi = referenceEnd(s, j);
          if (semi !== -1) out += s.slice(from, j) + decodeReference(s, j, semi);
        } catch (err) {
          return this.fail(j, err as XmlParseError);
        }
        if (semi === -1) {
          this.carry = true;
          break;
        }
        from = next = semi + 1;
      } else if (c === RSQB) {
        if (s.startsWith(']]>', j)) return this.fail(j, new XmlParseError('not-well-formed', "']]>' is not allowed in text"));
        if (!final && len - j < 3 && ']]>'.startsWith(s.slice(j))) {
          this.carry = true;
          break;
        }
      } else if (c === CR) {
        if (j + 1 === len && !final) {
          this.carry = true;
          break;
        }
        out += s.slice(from, j) + '\n';
        from = next = s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      } else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) {
        next = j + 2;
      } else {
        return this.fail(j, new XmlParseError('not-well-formed', illegalCharMessage(s, j)));
      }
      TEXT_STOP.lastIndex = next;
      j = TEXT_STOP.test(s) ? TEXT_STOP.lastIndex - 1 : len;
    }
    this.text = out + s.slice(from, j);
    this.end = j;
  }

  /** CDATA content from s[p] up to its ']]>' or the end of s. */
  scanCdata(s: string, p: number, final: boolean): void {
    this.errorAt = -1;
    const close = s.indexOf(']]>', p);
    let end = close === -1 ? s.length : close;
    if (close === -1 && !final && end > p) {
      // hold back what could begin ']]>', or a CR whose LF may come next
      const last = s.charCodeAt(end - 1);
      if (last === CR) end--;
      else if (last === RSQB) {
        end--;
        if (end > p && s.charCodeAt(end - 1) === RSQB) end--;
      }
    }
    let content = s.slice(p, end);
    if (CDATA_SPECIAL.test(content)) {
      const bad = findIllegalChar(s, p, end);
      if (bad !== -1) return this.fail(bad, new XmlParseError('not-well-formed', illegalCharMessage(s, bad)));
      content = content.replace(/\r\n?/g, '\n');
    }
    this.text = content;
    this.end = end;
    this.closed = close !== -1;
    this.carry = close === -1 && end < s.length;
  }
}
