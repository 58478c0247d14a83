// RFC 6120 section 11 (XML usage: restricted XML per 11.1, well-formedness per 11.3, the XML declaration
// per 11.5) on XML 1.0 sections 2.8 (prolog: one root, only whitespace around it) and 3 (elements).
// A streaming tokenizer: input arrives in arbitrary string chunks and the events it produces do not
// depend on where the chunks were cut.
//
// How chunking stays invisible: text and CDATA are delivered in pieces as they arrive; a construct
// that cannot be decided yet (a partial reference, '<!', '<![CDA', ']]', a trailing CR, a partial XML
// declaration: all short and bounded) is carried over and rescanned with the next chunk; a tag cut in
// two is collected in parts while a quote-aware scan looks for its '>' in each new chunk only, so a
// tag is parsed once, when complete, and no input is scanned more than twice.
//
// Size limits are decided by position: the "unit" (the document element, or each child of a stream
// root) may hold at most maxUnitBytes UTF-8 bytes. A tag is checked as a whole before it is parsed (a
// tag that crosses the limit is a policy-violation whatever it contains); in text, an error wins only
// if it sits before the byte where the limit is crossed. An unfinished tag is checked as it grows, so
// an endless attribute value is refused once it passes the limit, without buffering it.

import { CharacterDataScan } from './character-data.js';
import type { Attributes } from './element.js';
import { CDATA_SECTION, classifyMarkup, declarationEnd, END_TAG, NEED_MORE, START_TAG } from './markup-start.js';
import { checkNamespaces } from './namespace-rules.js';
import { TagParser, TAG_INCOMPLETE } from './tag-parser.js';
import { UnitBudget } from './unit-budget.js';
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

const CONTENT = 0;
const IN_CDATA = 1;
const IN_TAG = 2;
const DONE = Number.MAX_SAFE_INTEGER;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

export class XmlTokenizer {
  private readonly tags: TagParser;
  private readonly budget: UnitBudget;
  private readonly scan = new CharacterDataScan();
  private mode = CONTENT;
  private carry = '';
  private depth = 0;
  private rootClosed = false;
  private atStart = true;
  private readonly names: string[] = [];
  private readonly scopes: Attributes[] = [];
  private tagParts: string[] = [];
  private tagBytes = 0;
  private tagIsEnd = false;
  private final = false;
  private stopped = false;
  private generation = 0;

  constructor(
    private readonly sink: TokenizerSink,
    private readonly options: TokenizerOptions,
  ) {
    this.tags = new TagParser(options.maxAttributes, options.maxNameLength);
    this.budget = new UnitBudget(options.maxUnitBytes);
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
    this.budget.beginChunk(s);
    const gen = this.generation;
    let i = this.mode === IN_TAG ? this.continueTag(s, gen) : 0;
    while (i < s.length && this.generation === gen) {
      if (this.mode === IN_CDATA) i = this.cdata(s, i, gen);
      else if (s.charCodeAt(i) === 0x3c) i = this.markup(s, i, gen);
      else if (this.depth >= this.options.unitDepth) i = this.text(s, i, gen);
      else i = this.whitespace(s, i);
    }
    if (this.generation !== gen) return;
    this.budget.settle(s);
    this.carry += held;
  }

  /** End of a document: anything unfinished is not-well-formed. */
  end(): void {
    if (this.stopped) return;
    this.final = true;
    const gen = this.generation;
    this.write('');
    if (this.generation !== gen) return;
    if (this.mode === IN_TAG) this.fail('not-well-formed', 'the document ends inside a tag');
    else if (this.mode === IN_CDATA) this.fail('not-well-formed', 'the document ends inside a CDATA section');
    else if (!this.rootClosed) {
      this.fail('not-well-formed', this.depth === 0 ? 'the document has no root element' : 'the document ends before its root element is closed');
    }
  }

  /** Forgets all state, including input not yet consumed by a write() in progress. */
  reset(): void {
    this.generation++;
    this.mode = CONTENT;
    this.carry = '';
    this.depth = 0;
    this.rootClosed = false;
    this.atStart = true;
    this.budget.start();
    this.tagParts = [];
    this.final = false;
    this.stopped = false;
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

  private overLimit(): number {
    return this.fail('policy-violation', `element larger than the limit of ${this.options.maxUnitBytes} bytes`);
  }

  /** Holds s[i..] back for the next chunk; at the end of a document there is none. */
  private waitFrom(s: string, i: number): number {
    if (this.final) return this.fail('not-well-formed', 'the document ends in the middle of markup');
    this.carry = s.slice(i);
    return DONE;
  }

  /** The depth of the element a tag belongs to is below the units: the tag is limited on its own. */
  private aboveUnits(isEnd: boolean): boolean {
    return (isEnd ? this.depth : this.depth + 1) < this.options.unitDepth;
  }

  private startsUnit(isEnd: boolean): boolean {
    return !isEnd && this.depth + 1 === this.options.unitDepth;
  }

  private whitespace(s: string, i: number): number {
    let p = i;
    while (p < s.length && isSpace(s.charCodeAt(p))) p++;
    if (p > i) this.atStart = false;
    if (p === s.length || s.charCodeAt(p) === 0x3c) return p;
    if (this.depth > 0) return this.fail('not-well-formed', 'only whitespace may appear between top-level elements');
    return this.fail('not-well-formed', this.rootClosed ? 'content after the root element' : 'text before the root element');
  }

  /** Emits what the scan found in s[from, scan.end), or the scan's error unless the limit came first. */
  private deliver(s: string, from: number, gen: number): boolean {
    const scan = this.scan;
    if (scan.errorAt !== -1) {
      if (this.budget.total(s) + this.budget.byteLength(s, from, scan.errorAt) > this.budget.max) this.overLimit();
      else this.failWith(scan.error);
      return false;
    }
    if (!this.budget.charge(s, from, scan.end)) {
      this.overLimit();
      return false;
    }
    if (scan.text.length > 0) this.sink.text(scan.text, this.depth);
    return this.generation === gen;
  }

  private text(s: string, i: number, gen: number): number {
    const scan = this.scan;
    scan.scanText(s, i, this.final);
    if (!this.deliver(s, i, gen)) return DONE;
    if (!scan.carry) return scan.end;
    if (this.final) return this.fail('not-well-formed', 'the document ends inside a reference');
    this.carry = s.slice(scan.end);
    return DONE;
  }

  private cdata(s: string, p: number, gen: number): number {
    const scan = this.scan;
    scan.scanCdata(s, p, this.final);
    if (!this.deliver(s, p, gen)) return DONE;
    if (!scan.closed) {
      this.carry = s.slice(scan.end);
      return DONE;
    }
    if (!this.budget.charge(s, scan.end, scan.end + 3)) return this.overLimit();
    this.mode = CONTENT;
    return scan.end + 3;
  }

  private markup(s: string, i: number, gen: number): number {
    let kind: number;
    try {
      kind = classifyMarkup(s, i, this.atStart);
    } catch (err) {
      return this.failWith(err);
    }
    if (kind === START_TAG) return this.startTag(s, i, gen);
    if (kind === END_TAG) return this.endTag(s, i);
    if (kind === NEED_MORE) return this.waitFrom(s, i);
    if (kind === CDATA_SECTION) {
      if (this.depth < this.options.unitDepth) return this.fail('not-well-formed', 'a CDATA section is not allowed here');
      if (!this.budget.charge(s, i, i + 9)) return this.overLimit();
      this.mode = IN_CDATA;
      return i + 9;
    }
    let end: number;
    try {
      end = declarationEnd(s, i);
    } catch (err) {
      return this.failWith(err);
    }
    if (end === -1) return this.waitFrom(s, i);
    this.atStart = false;
    return end;
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
    if (!this.chargeTag(s, i, end + 1, false)) return this.overLimit();
    return this.openElement(end + 1, gen);
  }

  private endTag(s: string, i: number): number {
    if (this.depth === 0) {
      return this.fail('not-well-formed', this.rootClosed ? 'content after the root element' : 'end tag before the root element');
    }
    let end: number;
    try {
      end = this.tags.parseEndTag(s, i, this.names[this.depth - 1]!);
    } catch (err) {
      return this.tagFailure(s, i, err, true);
    }
    if (end === TAG_INCOMPLETE) return this.beginPendingTag(s, i, true);
    if (!this.chargeTag(s, i, end + 1, true)) return this.overLimit();
    return this.closeElement(end + 1);
  }

  private chargeTag(s: string, from: number, to: number, isEnd: boolean): boolean {
    if (this.aboveUnits(isEnd)) return this.budget.byteLength(s, from, to) <= this.budget.max;
    if (this.startsUnit(isEnd)) this.budget.start();
    return this.budget.charge(s, from, to);
  }

  /** A syntax error inside a tag counts only if the whole tag fits within the size limit. */
  private tagFailure(s: string, i: number, err: unknown, isEnd: boolean): number {
    if (!(err instanceof XmlParseError)) throw err;
    const end = this.tags.findEnd(s, i + 1, 0);
    if (end === -1) return this.beginPendingTag(s, i, isEnd);
    if (!this.chargeTag(s, i, end + 1, isEnd)) return this.overLimit();
    return this.fail(err.condition, err.message);
  }

  /** Bytes the unit would hold with `size` more bytes of a tag (the tag alone above the units). */
  private withTag(s: string, size: number, isEnd: boolean): number {
    return this.aboveUnits(isEnd) || this.startsUnit(isEnd) ? size : this.budget.total(s) + size;
  }

  private beginPendingTag(s: string, i: number, isEnd: boolean): number {
    if (this.final) return this.fail('not-well-formed', 'the document ends inside a tag');
    this.tags.findEnd(s, i + 1, 0);
    this.tagParts = [s.slice(i)];
    this.tagBytes = this.budget.byteLength(s, i, s.length);
    this.tagIsEnd = isEnd;
    this.mode = IN_TAG;
    if (this.withTag(s, this.tagBytes, isEnd) > this.budget.max) return this.overLimit();
    return DONE;
  }

  private continueTag(s: string, gen: number): number {
    const isEnd = this.tagIsEnd;
    const e = this.tags.findEnd(s, 0, this.tags.quote);
    if (e === -1) {
      this.tagParts.push(s);
      this.tagBytes += this.budget.byteLength(s, 0, s.length);
      if (this.withTag(s, this.tagBytes, isEnd) > this.budget.max) return this.overLimit();
      return DONE;
    }
    const tag = this.tagParts.join('') + s.slice(0, e + 1);
    const size = this.tagBytes + this.budget.byteLength(s, 0, e + 1);
    this.tagParts = [];
    this.mode = CONTENT;
    if (this.withTag(s, size, isEnd) > this.budget.max) return this.overLimit();
    if (this.startsUnit(isEnd)) this.budget.start();
    if (!this.aboveUnits(isEnd)) this.budget.add(size);
    let end: number;
    try {
      end = isEnd ? this.tags.parseEndTag(tag, 0, this.names[this.depth - 1]!) : this.tags.parseStartTag(tag, 0);
    } catch (err) {
      return this.failWith(err);
    }
    if (end !== tag.length - 1) return this.fail('not-well-formed', 'malformed tag');
    return isEnd ? this.closeElement(e + 1) : this.openElement(e + 1, gen);
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
    if (depth === this.options.unitDepth) this.budget.start();
    if (depth === 1) this.rootClosed = true;
    this.sink.endElement(this.names[depth - 1]!, depth);
    return next;
  }
}
