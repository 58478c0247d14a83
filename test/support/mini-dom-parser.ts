// DOMParser and XMLSerializer for mini-dom.ts: parsing by saxes (namespace-aware), with the browser's
// behaviour on malformed input (a document rooted at <parsererror/>, not an exception).

import { SaxesParser } from 'saxes';
import { MiniDocument, MiniElement, MiniText, PARSE_ERROR_NS, miniImplementation, type MiniNode } from './mini-dom.js';

/** Parses XML text; malformed input gives a document rooted at <parsererror/>, as browsers do. */
export class MiniDOMParser {
  parseFromString(source: string): MiniDocument {
    const doc = new MiniDocument();
    const parser = new SaxesParser({ xmlns: true });
    const stack: MiniNode[] = [doc];
    parser.on('opentag', (tag) => {
      const el = doc.createElementNS(tag.uri === '' ? null : tag.uri, tag.name);
      for (const attr of Object.values(tag.attributes)) el.setAttribute(attr.name, attr.value);
      stack[stack.length - 1]!.appendChild(el);
      stack.push(el);
    });
    parser.on('closetag', () => void stack.pop());
    parser.on('text', (text) => {
      if (stack.length > 1) stack[stack.length - 1]!.appendChild(doc.createTextNode(text));
    });
    parser.on('cdata', (text) => stack[stack.length - 1]!.appendChild(doc.createTextNode(text)));
    try {
      parser.write(source).close();
      return doc;
    } catch (err) {
      const failed = miniImplementation.createDocument(PARSE_ERROR_NS, 'parsererror');
      failed.documentElement!.appendChild(failed.createTextNode((err as Error).message));
      return failed;
    }
  }
}

export class MiniXMLSerializer {
  serializeToString(node: MiniNode): string {
    return serialize(node);
  }
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function serialize(node: MiniNode): string {
  if (node instanceof MiniText) return escapeText(node.data);
  if (node instanceof MiniElement) {
    let out = `<${node.nodeName}`;
    const declared = node.getAttribute(node.prefix === null ? 'xmlns' : `xmlns:${node.prefix}`);
    const parentNs = node.parentNode instanceof MiniElement ? node.parentNode.namespaceURI : null;
    if (declared === null && node.namespaceURI !== null && node.namespaceURI !== parentNs) {
      out += node.prefix === null ? ` xmlns="${escapeAttr(node.namespaceURI)}"` : ` xmlns:${node.prefix}="${escapeAttr(node.namespaceURI)}"`;
    }
    for (const a of node.attributes) out += ` ${a.name}="${escapeAttr(a.value)}"`;
    if (node.childNodes.length === 0) return out + '/>';
    return `${out}>${node.childNodes.map(serialize).join('')}</${node.nodeName}>`;
  }
  return node.childNodes.map(serialize).join('');
}
