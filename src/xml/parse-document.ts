// One complete XML element as a document: RFC 7395 section 3.3.3 (each WebSocket message is one
// complete element, no stream root), XEP-0124 section 4 (a BOSH <body/> per HTTP request) and tests.
// The same restricted-XML tokenizer as the stream parser (RFC 6120 section 11), so the same input is
// refused the same way on every transport.

import { Element, type Attributes } from './element.js';
import { DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_NAME_LENGTH, type StreamParserLimits } from './stream-parser.js';
import { XmlTokenizer, type TokenizerSink } from './tokenizer.js';
import { XmlParseError, type XmlErrorCondition } from './xml-error.js';

export { XmlParseError } from './xml-error.js';

/** Without limits a document is bounded only by its own length; depth is capped so recursion stays safe. */
export const DEFAULT_DOCUMENT_MAX_DEPTH = 256;

class DocumentAssembler implements TokenizerSink {
  root: Element | null = null;
  current: Element | null = null;
  failure: XmlParseError | null = null;

  startElement(name: string, attrs: Attributes): void {
    const el = new Element(name, attrs);
    const parent = this.current;
    if (parent === null) {
      this.root = el;
    } else {
      el.parent = parent;
      parent.children.push(el);
    }
    this.current = el;
  }

  endElement(): void {
    this.current = this.current!.parent;
  }

  text(text: string): void {
    const children = this.current!.children;
    const last = children.length - 1;
    if (last >= 0 && typeof children[last] === 'string') children[last] += text;
    else children.push(text);
  }

  error(condition: XmlErrorCondition, message: string): void {
    this.failure = new XmlParseError(condition, message);
  }
}

/**
 * Parses exactly one complete element (leading XML declaration and surrounding whitespace allowed).
 * Throws XmlParseError {condition, message} on any violation or limit. In limits, maxStanzaBytes
 * bounds the element (its tags included), and maxDepth counts the element itself as depth 1: for a
 * WebSocket frame the stanza is the element, so pass the stream's limits unchanged; for a BOSH
 * <body/> wrapping stanzas, add 1 to maxDepth.
 */
export function parseDocument(text: string | Uint8Array, limits: Partial<StreamParserLimits> = {}): Element {
  let source: string;
  if (typeof text === 'string') {
    source = text;
  } else {
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      throw new XmlParseError('not-well-formed', 'invalid UTF-8 (RFC 6120 section 11.6)');
    }
  }
  const assembler = new DocumentAssembler();
  const tokenizer = new XmlTokenizer(assembler, {
    unitDepth: 1,
    maxUnitBytes: limits.maxStanzaBytes ?? Number.MAX_SAFE_INTEGER,
    maxDepth: limits.maxDepth ?? DEFAULT_DOCUMENT_MAX_DEPTH,
    maxAttributes: limits.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
    maxNameLength: limits.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH,
  });
  tokenizer.write(source);
  tokenizer.end();
  if (assembler.failure !== null) throw assembler.failure;
  return assembler.root!;
}
