// Records everything a StreamParser reports, in a form two runs can be compared by (structure, not
// just serialisation: two adjacent text nodes and one merged text node must not look the same).

import type { Element, Node } from '../../src/xml/element.js';
import { StreamParser, type StreamParserLimits } from '../../src/xml/stream-parser.js';
import type { XmlErrorCondition } from '../../src/xml/xml-error.js';

export type TreeShape = { name: string; attrs: Record<string, string>; children: Array<TreeShape | string> };

export function shapeOf(el: Element): TreeShape {
  return {
    name: el.name,
    attrs: { ...el.attrs },
    children: el.children.map((c: Node) => (typeof c === 'string' ? c : shapeOf(c))),
  };
}

export type StreamEvent =
  | { type: 'start'; root: TreeShape }
  | { type: 'element'; element: TreeShape; ns: string | undefined; parentIsRoot: boolean }
  | { type: 'end' }
  | { type: 'error'; condition: XmlErrorCondition; text: string };

export class StreamRecorder {
  readonly events: StreamEvent[] = [];
  readonly elements: Element[] = [];
  root: Element | null = null;
  readonly parser: StreamParser;

  constructor(limits: StreamParserLimits = { maxStanzaBytes: 1 << 20, maxDepth: 64 }) {
    this.parser = new StreamParser(
      {
        onStreamStart: (root) => {
          this.root = root;
          this.events.push({ type: 'start', root: shapeOf(root) });
        },
        onElement: (el) => {
          this.elements.push(el);
          this.events.push({ type: 'element', element: shapeOf(el), ns: el.getNS(), parentIsRoot: el.parent === this.root });
        },
        onStreamEnd: () => this.events.push({ type: 'end' }),
        onError: (condition, text) => this.events.push({ type: 'error', condition, text }),
      },
      limits,
    );
  }

  get errors(): Array<Extract<StreamEvent, { type: 'error' }>> {
    return this.events.filter((e): e is Extract<StreamEvent, { type: 'error' }> => e.type === 'error');
  }

  /** The single error condition reported, or undefined; fails loudly on more than one. */
  get condition(): XmlErrorCondition | undefined {
    const errors = this.errors;
    if (errors.length > 1) throw new Error(`more than one error reported: ${JSON.stringify(errors)}`);
    return errors[0]?.condition;
  }
}

export const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "to='example.com' version='1.0' xml:lang='en'>";

/** A header short enough for tests with small stanza limits (the header itself must fit the limit). */
export const SHORT_HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

/** Feeds `input` to a fresh recorder (one write) and returns it. */
export function parseStream(input: string | Buffer, limits?: StreamParserLimits): StreamRecorder {
  const recorder = new StreamRecorder(limits);
  recorder.parser.write(input);
  return recorder;
}
