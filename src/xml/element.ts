// The in-memory XML element of a stanza (RFC 6120 section 4.1: a stanza is a first-level child of the stream).
// Namespaces are resolved lazily by walking parents (as ltx does), so the router can read a stanza's
// top-level attributes without any tree walk. The API mirrors ltx's Element, familiar from xmpp.js.

import { escapeAttribute, escapeText } from './escape.js';

export type Node = Element | string;
export type Attributes = Record<string, string>;

export class Element {
  name: string;
  attrs: Attributes;
  children: Node[];
  parent: Element | null = null;

  constructor(name: string, attrs: Attributes = {}, children: Node[] = []) {
    this.name = name;
    this.attrs = attrs;
    this.children = [];
    for (const child of children) this.append(child);
  }

  /** Local name without a prefix. */
  get localName(): string {
    const colon = this.name.indexOf(':');
    return colon === -1 ? this.name : this.name.slice(colon + 1);
  }

  get prefix(): string | null {
    const colon = this.name.indexOf(':');
    return colon === -1 ? null : this.name.slice(0, colon);
  }

  /** The namespace of this element, resolved through its own and its ancestors' declarations. */
  getNS(): string | undefined {
    const prefix = this.prefix;
    const key = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
    for (let el: Element | null = this; el; el = el.parent) {
      const ns = el.attrs[key];
      if (ns !== undefined) return ns;
    }
    return undefined;
  }

  is(localName: string, xmlns?: string): boolean {
    return this.localName === localName && (xmlns === undefined || this.getNS() === xmlns);
  }

  attr(name: string): string | undefined {
    return this.attrs[name];
  }

  setAttr(name: string, value: string | undefined): this {
    if (value === undefined) delete this.attrs[name];
    else this.attrs[name] = value;
    return this;
  }

  append(child: Node): this {
    if (typeof child !== 'string') child.parent = this;
    this.children.push(child);
    return this;
  }

  /** Appends a child element and returns it (builder style: `iq.c('query', {xmlns}).c('item')`). */
  c(name: string, attrs: Attributes = {}): Element {
    const child = new Element(name, attrs);
    this.append(child);
    return child;
  }

  /** Appends text and returns this element. */
  t(text: string): this {
    this.children.push(text);
    return this;
  }

  up(): Element {
    return this.parent ?? this;
  }

  root(): Element {
    let el: Element = this;
    while (el.parent) el = el.parent;
    return el;
  }

  remove(child: Element): this {
    const i = this.children.indexOf(child);
    if (i !== -1) {
      this.children.splice(i, 1);
      child.parent = null;
    }
    return this;
  }

  getChildElements(): Element[] {
    const out: Element[] = [];
    for (const c of this.children) if (typeof c !== 'string') out.push(c);
    return out;
  }

  getChild(localName: string, xmlns?: string): Element | undefined {
    for (const c of this.children) if (typeof c !== 'string' && c.is(localName, xmlns)) return c;
    return undefined;
  }

  getChildren(localName: string, xmlns?: string): Element[] {
    const out: Element[] = [];
    for (const c of this.children) if (typeof c !== 'string' && c.is(localName, xmlns)) out.push(c);
    return out;
  }

  /** First child element in the given namespace, whatever its name. */
  getChildByNS(xmlns: string): Element | undefined {
    for (const c of this.children) if (typeof c !== 'string' && c.getNS() === xmlns) return c;
    return undefined;
  }

  text(): string {
    let out = '';
    for (const c of this.children) if (typeof c === 'string') out += c;
    return out;
  }

  getChildText(localName: string, xmlns?: string): string | undefined {
    return this.getChild(localName, xmlns)?.text();
  }

  /** Deep copy without the parent link. */
  clone(): Element {
    const copy = new Element(this.name, { ...this.attrs });
    for (const c of this.children) copy.append(typeof c === 'string' ? c : c.clone());
    return copy;
  }

  toString(): string {
    const parts: string[] = [];
    this.write(parts);
    return parts.join('');
  }

  /** Serialises into `out`; used by toString and by callers that assemble larger documents. */
  write(out: string[]): void {
    let open = '<' + this.name;
    for (const key in this.attrs) {
      const value = this.attrs[key];
      if (value !== undefined) open += ' ' + key + "='" + escapeAttribute(value) + "'";
    }
    if (this.children.length === 0) {
      out.push(open + '/>');
      return;
    }
    out.push(open + '>');
    for (const c of this.children) {
      if (typeof c === 'string') out.push(escapeText(c));
      else c.write(out);
    }
    out.push('</' + this.name + '>');
  }
}

/** Builder: `xml('iq', {type: 'get'}, xml('ping', {xmlns: NS.PING}))`. Null and false children are skipped. */
export function xml(name: string, attrs?: Attributes | null, ...children: Array<Node | null | undefined | false>): Element {
  const cleanAttrs: Attributes = {};
  if (attrs) for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) cleanAttrs[k] = attrs[k];
  const el = new Element(name, cleanAttrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
