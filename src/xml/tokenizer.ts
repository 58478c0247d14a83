// RFC 6120 section 11 (XML usage: restricted XML per 11.1, well-formedness per 11.3, the XML declaration
// per 11.5, UTF-8 per 11.6) on top of XML 1.0 sections 2.4 (character data), 2.7 (CDATA sections),
// 2.8 (prolog) and 3 (elements). A streaming tokenizer: input arrives in arbitrary string chunks and the
// events it produces do not depend on where the chunks were cut.
//
// How chunking stays invisible: text and CDATA are delivered in pieces as they arrive; a construct
// that cannot be decided yet (a partial reference, '<!', '<![CDA', ']]', a trailing '\r', a partial
// XML declaration; all a few characters long) is carried over and rescanned with the next chunk; a tag
// cut in two is collected in parts while a quote-aware scan looks for its '>' in each new chunk only,
// so a tag is parsed once, when complete, and no input is rescanned more than once.
//
// Size limits are decided by position: the "unit" (the document element, or each child of a stream
// root) may hold at most maxUnitBytes UTF-8 bytes. A tag is checked as a whole before it is parsed (a
// tag that crosses the limit is a policy-violation whatever it contains); in text, an error wins only
// if it sits before the byte where the limit is crossed. An unfinished tag is checked as it grows, so
// an endless attribute value is refused once it passes the limit, without buffering it.

import type { Attributes } from './element.js';
import { checkNamespaces } from './namespace-rules.js';
import { TagParser, TAG_INCOMPLETE } from './tag-parser.js';
import { decodeReference, findIllegalChar, illegalCharMessage, referenceEnd, startsName } from './xml-chars.js';
import { XmlParseError, type XmlErrorCondition } from './xml-error.js';

export interface TokenizerSink {
  /** depth: 1 for the root element. attrs is a fresh object the sink may keep. */
  startElement(name: string, attrs: Attributes, depth: number): void;
  endElement(name: string, depth: number): void;
  /** Character data (references decoded, line ends normalised) inside a unit; may arrive in pieces. */
  text(text: string, depth: number): void;
  /** Called once; the tokenizer then ignores input until reset(). */
  error(condition: XmlErrorCondition, message: string): void;
}

export interface TokenizerOptions {
  /** 1: the root element is the size-limited unit (a document). 2: each child of the root is (a stream),
   *  and only whitespace may appear directly inside the root. */
  unitDepth: 1 | 2;
  /** UTF-8 bytes of one unit including its tags; also the limit for a single tag above the units. */
  maxUnitBytes: number;
  /** Open elements including the root. */
  maxDepth: number;
  maxAttributes: number;
  maxNameLength: number;
  /** A prefix the root element may use without declaring it (the stream engine checks it instead). */
  rootUndeclaredPrefix?: string | null;
}

const TEXT = 0;
const CDATA = 1;
const TAG = 2;

const LT = 0x3c, GT = 0x3e, AMP = 0x26, RSQB = 0x5d, CR = 0x0d, LF = 0x0a, SLASH = 0x2f, BANG = 0x21;
const DONE = Number.MAX_SAFE_INTEGER;
/** Longest XML declaration accepted; it is carried over chunks, so it must be bounded. */
const MAX_DECLARATION = 1024;

const TEXT_STOP = /[<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/g;
const CDATA_SPECIAL = /[\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;
const TAG_STOP = /[>"']/g;
const NON_ASCII = /[^\x00-\x7f]/;
const S = '[ \\t\\r\\n]';
const XML_DECLARATION = new RegExp(
  `^<\\?xml${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')` +
    `(?:${S}+encoding${S}*=${S}*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?` +
    `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>$`,
);

function isSpace(c: number): boolean {
  return c === 0x20 || c === LF || c === 0x09 || c === CR;
}

function utf8Length(s: string, from: number, to: number): number {
  let n = to - from;
  for (let p = from; p < to; p++) {
    const c = s.charCodeAt(p);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && p + 1 < to && (s.charCodeAt(p + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      p++;
    } else n += 2;
  }
  return n;
}

export class XmlTokenizer {
  private readonly tags: TagParser;
  private mode = TEXT;
  private carry = '';
  private depth = 0;
  private rootClosed = false;
  private atStart = true;
  private readonly names: string[] = [];
  private readonly scopes: Attributes[] = [];
  /** Bytes of the current unit: exact, except that lazyFrom..lazyTo is counted one per UTF-16 unit. */
  private unitBytes = 0;
  private lazyFrom = -1;
  private lazyTo = 0;
  private tagParts: string[] = [];
  private tagQuote = 0;
  private tagBytes = 0;
  private tagIsEnd = false;
  private ascii = true;
  private final = false;
  private stopped = false;
  private generation = 0;

  constructor(
    private readonly sink: TokenizerSink,
    private readonly options: TokenizerOptions,
  ) {
    this.tags = new TagParser(options.maxAttributes, options.maxNameLength);
  }

  write(chunk: string): void {
    if (this.stopped) return;
    let s = this.carry.length === 0 ? chunk : this.carry + chunk;
    this.carry = '';
    let held = '';
    if (!this.final && s.length > 0 && (s.charCodeAt(s.length - 1) & 0xfc00) === 0xd800) {
      held = s.slice(-1); // half of a surrogate pair: wait for the other half
      s = s.slice(0, -1);
    }
    this.ascii = !NON_ASCII.test(s);
    const gen = this.generation;
    this.run(s, gen);
    if (this.generation === gen) this.carry += held;
  }

  /** End of a document: anything unfinished is not-well-formed. */
  end(): void {
    if (this.stopped) return;
    this.final = true;
    const gen = this.generation;
    this.write('');
    if (this.generation !== gen) return;
    if (this.mode === TAG) this.fail('not-well-formed', 'the document ends inside a tag');
    else if (this.mode === CDATA) this.fail('not-well-formed', 'the document ends inside a CDATA section');
    else if (!this.rootClosed) {
      this.fail('not-well-formed', this.depth === 0 ? 'the document has no root element' : 'the document ends before its root element is closed');
    }
  }

  /** Forgets all state, including input not yet consumed by a write() in progress. */
  reset(): void {
    this.generation++;
    this.mode = TEXT;
    this.carry = '';
    this.depth = 0;
    this.rootClosed = false;
    this.atStart = true;
    this.unitBytes = 0;
    this.lazyFrom = -1;
    this.tagParts = [];
    this.final = false;
    this.stopped = false;
  }

  private run(s: string, gen: number): void {
    const len = s.length;
    let i = this.mode === TAG ? this.continueTag(s, gen) : 0;
    while (i < len && this.generation === gen) {
      if (this.mode === CDATA) i = this.cdata(s, i, gen);
      else if (s.charCodeAt(i) === LT) i = this.markup(s, i, gen);
      else if (this.depth >= this.options.unitDepth) i = this.text(s, i, gen);
      else i = this.whitespace(s, i);
    }
    if (this.generation === gen) this.settle(s);
  }

  private fail(condition: XmlErrorCondition, message: string): number {
    this.stopped = true;
    this.generation++;
    this.carry = '';
    this.tagParts = [];
    this.sink.error(condition, message);
    return DONE;
  }

  private failWith(err: unknown): number {
    if (!(err instanceof XmlParseError)) throw err;
    return this.fail(err.condition, err.message);
  }

  private bytes(s: string, from: number, to: number): number {
    return this.ascii ? to - from : utf8Length(s, from, to);
  }

  private overLimit(): number {
    return this.fail('policy-violation', `element larger than the limit of ${this.options.maxUnitBytes} bytes`);
  }

  /**
   * Counts s[from, to) into the unit; false (after failing) when the unit grows past the limit.
   * Charges within a unit are contiguous. In non-ASCII input they are first counted per UTF-16 unit,
   * which is at most 3 UTF-8 bytes (a surrogate pair is 4), and converted to exact bytes only when
   * the unit might be near its limit, or when the chunk ends.
   */
  private charge(s: string, from: number, to: number): boolean {
    this.unitBytes += to - from;
    if (!this.ascii) {
      if (this.lazyFrom === -1) this.lazyFrom = from;
      this.lazyTo = to;
      if (this.unitBytes + 2 * (to - this.lazyFrom) <= this.options.maxUnitBytes) return true;
      this.settle(s);
    }
    if (this.unitBytes <= this.options.maxUnitBytes) return true;
    this.overLimit();
    return false;
  }

  private settle(s: string): void {
    if (this.lazyFrom === -1) return;
    this.unitBytes += utf8Length(s, this.lazyFrom, this.lazyTo) - (this.lazyTo - this.lazyFrom);
    this.lazyFrom = -1;
  }

  private startUnit(): void {
    this.unitBytes = 0;
    this.lazyFrom = -1;
  }

  /** An error at s[at] inside a unit, unless the limit was already crossed before it. */
  private failInUnit(s: string, from: number, at: number, err: unknown): number {
    this.settle(s);
    if (this.unitBytes + this.bytes(s, from, at) > this.options.maxUnitBytes) return this.overLimit();
    return this.failWith(err);
  }

  /** Bytes a tag of `size` brings its unit to (or its own size above the units); unitBytes must be settled. */
  private tagTotal(size: number, isEnd: boolean): number {
    const elementDepth = isEnd ? this.depth : this.depth + 1;
    const unitDepth = this.options.unitDepth;
    if (elementDepth < unitDepth || (elementDepth === unitDepth && !isEnd)) return size;
    return this.unitBytes + size;
  }

  /** Charges the complete tag s[from, to). */
  private chargeTag(s: string, from: number, to: number, isEnd: boolean): boolean {
    const elementDepth = isEnd ? this.depth : this.depth + 1;
    if (elementDepth < this.options.unitDepth) {
      if (this.bytes(s, from, to) <= this.options.maxUnitBytes) return true;
      this.overLimit();
      return false;
    }
    if (elementDepth === this.options.unitDepth && !isEnd) this.startUnit();
    return this.charge(s, from, to);
  }

  /** Charges a tag that arrived over several chunks, whose exact size is known. */
  private chargeTagOfSize(size: number, isEnd: boolean): boolean {
    const total = this.tagTotal(size, isEnd);
    if (total > this.options.maxUnitBytes) {
      this.overLimit();
      return false;
    }
    if ((isEnd ? this.depth : this.depth + 1) >= this.options.unitDepth) this.unitBytes = total;
    return true;
  }

  private incomplete(s: string, i: number): number {
    if (this.final) return this.fail('not-well-formed', 'the document ends in the middle of markup');
    this.carry = s.slice(i);
    return DONE;
  }

  private whitespace(s: string, i: number): number {
    const len = s.length;
    let p = i;
    while (p < len && isSpace(s.charCodeAt(p))) p++;
    if (p > i) this.atStart = false;
    if (p === len || s.charCodeAt(p) === LT) return p;
    if (this.depth > 0) return this.fail('not-well-formed', 'only whitespace may appear between top-level elements');
    return this.fail('not-well-formed', this.rootClosed ? 'content after the root element' : 'text before the root element');
  }

  private text(s: string, i: number, gen: number): number {
    const len = s.length;
    TEXT_STOP.lastIndex = i;
    const j = TEXT_STOP.test(s) ? TEXT_STOP.lastIndex - 1 : len;
    if (j < len && s.charCodeAt(j) !== LT) return this.textWithSpecials(s, i, gen);
    if (!this.charge(s, i, j)) return DONE;
    this.sink.text(s.slice(i, j), this.depth);
    return j;
  }

  /** Text containing references, ']', '\r' or characters to check; s[i] is not '<'. */
  private textWithSpecials(s: string, i: number, gen: number): number {
    const len = s.length;
    let out = '';
    let from = i;
    let p = i;
    let end = len;
    let carryFrom = -1;
    for (;;) {
      TEXT_STOP.lastIndex = p;
      const j = TEXT_STOP.test(s) ? TEXT_STOP.lastIndex - 1 : len;
      const c = j < len ? s.charCodeAt(j) : LT;
      if (c === LT) {
        end = j;
        break;
      }
      if (c === AMP) {
        let semi: number;
        let value: string;
        try {
          semi = referenceEnd(s, j);
          if (semi === -1) {
            end = carryFrom = j;
            break;
          }
          value = decodeReference(s, j, semi);
        } catch (err) {
          return this.failInUnit(s, i, j, err);
        }
        out += s.slice(from, j) + value;
        from = p = semi + 1;
      } else if (c === RSQB) {
        if (s.startsWith(']]>', j)) {
          return this.failInUnit(s, i, j, new XmlParseError('not-well-formed', "']]>' is not allowed in text"));
        }
        if (!this.final && len - j < 3 && ']]>'.startsWith(s.slice(j))) {
          end = carryFrom = j;
          break;
        }
        p = j + 1;
      } else if (c === CR) {
        if (j + 1 === len && !this.final) {
          end = carryFrom = j;
          break;
        }
        out += s.slice(from, j) + '\n';
        from = p = s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
      } else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) {
        p = j + 2;
      } else {
        return this.failInUnit(s, i, j, new XmlParseError('not-well-formed', illegalCharMessage(s, j)));
      }
    }
    out += s.slice(from, end);
    if (!this.charge(s, i, end)) return DONE;
    if (out.length > 0) this.sink.text(out, this.depth);
    if (this.generation !== gen) return DONE;
    if (carryFrom === -1) return end;
    if (this.final) return this.fail('not-well-formed', 'the document ends inside a reference');
    this.carry = s.slice(carryFrom);
    return DONE;
  }

  private cdata(s: string, p: number, gen: number): number {
    const len = s.length;
    const close = s.indexOf(']]>', p);
    let end = close === -1 ? len : close;
    if (close === -1 && !this.final && end > p) {
      // hold back what could begin ']]>' or a CR LF pair cut by the chunk boundary
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
      if (bad !== -1) return this.failInUnit(s, p, bad, new XmlParseError('not-well-formed', illegalCharMessage(s, bad)));
      content = content.replace(/\r\n?/g, '\n');
    }
    if (!this.charge(s, p, end)) return DONE;
    if (content.length > 0) this.sink.text(content, this.depth);
    if (this.generation !== gen) return DONE;
    if (close === -1) {
      this.carry = s.slice(end);
      return DONE;
    }
    if (!this.charge(s, close, close + 3)) return DONE;
    this.mode = TEXT;
    return close + 3;
  }

  private markup(s: string, i: number, gen: number): number {
    if (i + 1 >= s.length) return this.incomplete(s, i);
    const c = s.charCodeAt(i + 1);
    if (c === SLASH) return this.endTag(s, i);
    if (c === BANG) return this.bang(s, i);
    if (c === 0x3f) return this.questionMark(s, i);
    if (startsName(s, i + 1)) return this.startTag(s, i, gen);
    return this.fail('not-well-formed', "'<' must start a tag (a literal '<' is written &lt;)");
  }

  /** `<!`: a CDATA section, or a comment or DTD (restricted by RFC 6120 section 11.1). */
  private bang(s: string, i: number): number {
    if (i + 2 >= s.length) return this.incomplete(s, i);
    const c = s.charCodeAt(i + 2);
    if (c === 0x2d) return this.fail('restricted-xml', 'comments are not allowed (RFC 6120 section 11.1)');
    if (c >= 0x41 && c <= 0x5a) {
      return this.fail('restricted-xml', 'document type and markup declarations are not allowed (RFC 6120 section 11.1)');
    }
    if (c !== 0x5b) return this.fail('not-well-formed', "'<!' must start a CDATA section");
    const head = s.slice(i, i + 9);
    if (head !== '<![CDATA[') {
      if (head.length < 9 && '<![CDATA['.startsWith(head)) return this.incomplete(s, i);
      return this.fail('not-well-formed', "'<![' must start a CDATA section");
    }
    if (this.depth < this.options.unitDepth) return this.fail('not-well-formed', 'a CDATA section is not allowed here');
    if (!this.charge(s, i, i + 9)) return DONE;
    this.mode = CDATA;
    return i + 9;
  }

  /** `<?`: the XML declaration at the very start (RFC 6120 section 11.5), else a processing instruction. */
  private questionMark(s: string, i: number): number {
    if (this.atStart) {
      const head = s.slice(i, i + 6);
      if (head.length < 6 && '<?xml'.startsWith(head.slice(0, 5))) return this.incomplete(s, i);
      if (head.startsWith('<?xml') && isSpace(head.charCodeAt(5))) return this.declaration(s, i);
    }
    return this.fail('restricted-xml', 'processing instructions are not allowed (RFC 6120 section 11.1)');
  }

  private declaration(s: string, i: number): number {
    const close = s.indexOf('?>', i + 5);
    if (close === -1 ? s.length - i > MAX_DECLARATION : close + 2 - i > MAX_DECLARATION) {
      return this.fail('not-well-formed', 'unterminated XML declaration');
    }
    if (close === -1) return this.incomplete(s, i);
    const match = XML_DECLARATION.exec(s.slice(i, close + 2));
    if (match === null) return this.fail('not-well-formed', 'malformed XML declaration');
    const encoding = match[1] ?? match[2];
    if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
      return this.fail('not-well-formed', `unsupported encoding '${encoding.slice(0, 40)}': XMPP is UTF-8 only (RFC 6120 section 11.6)`);
    }
    this.atStart = false;
    return close + 2;
  }

  private startTag(s: string, i: number, gen: number): number {
    if (this.depth === 0 && this.rootClosed) return this.fail('not-well-formed', 'content after the root element');
    let end: number;
    try {
      end = this.tags.parseStartTag(s, i);
    } catch (err) {
      return this.tagFailure(s, i, err, false);
    }
    if (end === TAG_INCOMPLETE) return this.beginPendingTag(s, i, false);
    if (!this.chargeTag(s, i, end + 1, false)) return DONE;
    return this.openElement(end + 1, gen);
  }

  private endTag(s: string, i: number): number {
    if (this.depth === 0) {
      return this.fail('not-well-formed', this.rootClosed ? 'content after the root element' : 'end tag before the root element');
    }
    let end: number;
    try {
      end = this.tags.parseEndTag(s, i);
    } catch (err) {
      return this.tagFailure(s, i, err, true);
    }
    if (end === TAG_INCOMPLETE) return this.beginPendingTag(s, i, true);
    if (!this.chargeTag(s, i, end + 1, true)) return DONE;
    return this.closeElement(end + 1);
  }

  /** A syntax error inside a tag counts only if the whole tag fits within the size limit. */
  private tagFailure(s: string, i: number, err: unknown, isEnd: boolean): number {
    if (!(err instanceof XmlParseError)) throw err;
    const end = this.findTagEnd(s, i + 1, 0);
    if (end === -1) return this.beginPendingTag(s, i, isEnd);
    if (!this.chargeTag(s, i, end + 1, isEnd)) return DONE;
    return this.fail(err.condition, err.message);
  }

  /** Index of the '>' ending a tag (outside quotes) from `from`, or -1; leaves the quote state in tagQuote. */
  private findTagEnd(s: string, from: number, quote: number): number {
    let p = from;
    let q = quote;
    for (;;) {
      if (q !== 0) {
        const close = s.indexOf(q === 0x22 ? '"' : "'", p);
        if (close === -1) {
          this.tagQuote = q;
          return -1;
        }
        p = close + 1;
        q = 0;
      }
      TAG_STOP.lastIndex = p;
      if (!TAG_STOP.test(s)) {
        this.tagQuote = 0;
        return -1;
      }
      const j = TAG_STOP.lastIndex - 1;
      const c = s.charCodeAt(j);
      if (c === GT) return j;
      q = c;
      p = j + 1;
    }
  }

  private beginPendingTag(s: string, i: number, isEnd: boolean): number {
    if (this.final) return this.fail('not-well-formed', 'the document ends inside a tag');
    this.settle(s);
    this.findTagEnd(s, i + 1, 0);
    this.tagParts = [s.slice(i)];
    this.tagBytes = this.bytes(s, i, s.length);
    this.tagIsEnd = isEnd;
    this.mode = TAG;
    if (this.tagTotal(this.tagBytes, isEnd) > this.options.maxUnitBytes) return this.overLimit();
    return DONE;
  }

  private continueTag(s: string, gen: number): number {
    const e = this.findTagEnd(s, 0, this.tagQuote);
    if (e === -1) {
      this.tagParts.push(s);
      this.tagBytes += this.bytes(s, 0, s.length);
      if (this.tagTotal(this.tagBytes, this.tagIsEnd) > this.options.maxUnitBytes) return this.overLimit();
      return DONE;
    }
    const tag = this.tagParts.join('') + s.slice(0, e + 1);
    const size = this.tagBytes + this.bytes(s, 0, e + 1);
    this.tagParts = [];
    this.mode = TEXT;
    if (!this.chargeTagOfSize(size, this.tagIsEnd)) return DONE;
    let end: number;
    try {
      end = this.tagIsEnd ? this.tags.parseEndTag(tag, 0) : this.tags.parseStartTag(tag, 0);
    } catch (err) {
      return this.failWith(err);
    }
    if (end !== tag.length - 1) return this.fail('not-well-formed', 'malformed tag');
    return this.tagIsEnd ? this.closeElement(e + 1) : this.openElement(e + 1, gen);
  }

  private openElement(next: number, gen: number): number {
    const { name, attrs, selfClosing } = this.tags;
    const depth = this.depth + 1;
    if (depth > this.options.maxDepth) return this.fail('policy-violation', 'elements are nested deeper than the limit');
    if (this.tags.prefixed) {
      try {
        checkNamespaces(name, attrs, this.scopes, this.depth, depth === 1 ? this.options.rootUndeclaredPrefix ?? null : null);
      } catch (err) {
        return this.failWith(err);
      }
    }
    this.names[this.depth] = name;
    this.scopes[this.depth] = attrs;
    this.depth = depth;
    this.atStart = false;
    this.sink.startElement(name, attrs, depth);
    if (selfClosing && this.generation === gen) return this.popElement(next);
    return next;
  }

  private closeElement(next: number): number {
    const open = this.names[this.depth - 1]!;
    const name = this.tags.name;
    if (name !== open) return this.fail('not-well-formed', `</${name.slice(0, 40)}> does not close <${open.slice(0, 40)}>`);
    return this.popElement(next);
  }

  private popElement(next: number): number {
    const depth = this.depth;
    this.depth = depth - 1;
    if (depth === this.options.unitDepth) this.startUnit();
    if (depth === 1) this.rootClosed = true;
    this.sink.endElement(this.names[depth - 1]!, depth);
    return next;
  }
}
