// RFC 6120 section 4 (XML streams: the stream header, first-level children as stanzas, 4.3.3 stream
// restart, 4.9.3 stream errors) and section 11 (restricted XML, via XmlTokenizer). Turns the bytes of
// one direction of a stream into the root's start tag, one Element per first-level child, and the
// root's end tag. Limits are enforced while the data arrives: a first-level element is never buffered
// beyond maxStanzaBytes.

import { Element, type Attributes } from './element.js';
import { XmlTokenizer, type TokenizerSink } from './tokenizer.js';
import { Utf8StreamDecoder } from './utf8-decoder.js';
import type { XmlErrorCondition } from './xml-error.js';

export type { XmlErrorCondition } from './xml-error.js';

export interface StreamParserHandlers {
  /** The stream root's start tag (e.g. <stream:stream ...> or BOSH <body ...>), as an Element with no children. */
  onStreamStart(root: Element): void;
  /** Each complete first-level child of the root (a stanza or nonza), with .parent set to the root element
   *  so that getNS() inherits the stream's default namespace (jabber:client). */
  onElement(el: Element): void;
  /** The root's end tag (</stream:stream>). */
  onStreamEnd(): void;
  /** A violation; the parser stops after reporting one error (further write() calls are ignored). */
  onError(condition: XmlErrorCondition, text: string): void;
}

export interface StreamParserLimits {
  /** Bytes of one first-level element incl. its tags (also the most a stream header may take); beyond it: policy-violation. */
  maxStanzaBytes: number;
  /** Nesting depth below the root (a stanza is at depth 1); beyond it: policy-violation. */
  maxDepth: number;
  /** Per element (default 64); beyond it: policy-violation. */
  maxAttributes?: number;
  /** Element and attribute name length in characters (default 256); beyond it: policy-violation. */
  maxNameLength?: number;
}

export const DEFAULT_MAX_ATTRIBUTES = 64;
export const DEFAULT_MAX_NAME_LENGTH = 256;

/** Builds stanzas from tokens: the root stays childless, each first-level child gets .parent = root. */
class StanzaAssembler implements TokenizerSink {
  root: Element | null = null;
  /** The innermost open element of the stanza being built; null between stanzas. */
  current: Element | null = null;
  failed = false;

  constructor(private readonly handlers: StreamParserHandlers) {}

  startElement(name: string, attrs: Attributes, depth: number): void {
    const el = new Element(name, attrs);
    if (depth === 1) {
      this.root = el;
      this.handlers.onStreamStart(el);
      return;
    }
    if (depth === 2) {
      el.parent = this.root;
    } else {
      const parent = this.current!;
      el.parent = parent;
      parent.children.push(el);
    }
    this.current = el;
  }

  endElement(_name: string, depth: number): void {
    if (depth === 1) {
      this.handlers.onStreamEnd();
    } else if (depth === 2) {
      const el = this.current!;
      this.current = null;
      this.handlers.onElement(el);
    } else {
      this.current = this.current!.parent;
    }
  }

  text(text: string): void {
    const children = this.current!.children;
    const last = children.length - 1;
    if (last >= 0 && typeof children[last] === 'string') children[last] += text;
    else children.push(text);
  }

  error(condition: XmlErrorCondition, message: string): void {
    this.failed = true;
    this.current = null;
    this.handlers.onError(condition, message);
  }
}

export class StreamParser {
  private readonly tokenizer: XmlTokenizer;
  private readonly decoder = new Utf8StreamDecoder();
  private readonly assembler: StanzaAssembler;
  private generation = 0;

  constructor(handlers: StreamParserHandlers, limits: StreamParserLimits) {
    this.assembler = new StanzaAssembler(handlers);
    this.tokenizer = new XmlTokenizer(this.assembler, {
      unitDepth: 2,
      maxUnitBytes: limits.maxStanzaBytes,
      maxDepth: limits.maxDepth + 1,
      maxAttributes: limits.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
      maxNameLength: limits.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH,
      rootUndeclaredPrefix: 'stream',
    });
  }

  /** Feeds bytes (UTF-8; a character may be split across calls) or text. Do not mix both in one stream. */
  write(chunk: Buffer | Uint8Array | string): void {
    if (this.assembler.failed) return;
    const gen = this.generation;
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk);
    if (text.length > 0) this.tokenizer.write(text);
    if (this.decoder.failed && this.generation === gen && !this.assembler.failed) {
      this.assembler.error('not-well-formed', 'invalid UTF-8 (RFC 6120 section 11.6)');
    }
  }

  /**
   * Stream restart (RFC 6120 4.3.3 after STARTTLS/SASL): forget everything, expect a new root.
   * Unparsed input is forgotten too: called from a handler during write(), the rest of that chunk is
   * dropped, so nothing sent in plaintext after <starttls/> can be read as part of the new stream.
   */
  reset(): void {
    this.generation++;
    this.tokenizer.reset();
    this.decoder.reset();
    this.assembler.root = null;
    this.assembler.current = null;
    this.assembler.failed = false;
  }
}
