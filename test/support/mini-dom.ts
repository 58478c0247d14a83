// A small XML DOM (W3C DOM Core subset: Document, Element, Text, DOMParser, XMLSerializer) for running the
// browser build of Strophe.js in Node. Strophe's Node build wants @xmldom/xmldom, which is not installed
// here; this covers what Strophe's BOSH code path touches. Parsing and serialising: mini-dom-parser.ts.

export const PARSE_ERROR_NS = 'http://www.w3.org/1999/xhtml';

export abstract class MiniNode {
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  parentNode: MiniNode | null = null;
  readonly childNodes: MiniNode[] = [];
  constructor(public ownerDocument: MiniDocument | null) {}

  get firstChild(): MiniNode | null {
    return this.childNodes[0] ?? null;
  }
  get lastChild(): MiniNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }
  get nextSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get previousSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) - 1] ?? null;
  }
  get children(): MiniElement[] {
    return this.childNodes.filter((n): n is MiniElement => n instanceof MiniElement);
  }
  get firstElementChild(): MiniElement | null {
    return this.children[0] ?? null;
  }
  get textContent(): string {
    return this.childNodes.map((n) => n.textContent).join('');
  }
  set textContent(text: string) {
    for (const child of [...this.childNodes]) this.removeChild(child);
    if (text !== '') this.appendChild(new MiniText(this.ownerDocument, text));
  }
  appendChild<T extends MiniNode>(node: T): T {
    if (node instanceof MiniFragment) {
      for (const child of [...node.childNodes]) this.appendChild(child);
      return node;
    }
    node.parentNode?.removeChild(node);
    node.parentNode = this;
    this.childNodes.push(node);
    return node;
  }
  insertBefore<T extends MiniNode>(node: T, before: MiniNode | null): T {
    if (before === null) return this.appendChild(node);
    node.parentNode?.removeChild(node);
    node.parentNode = this;
    this.childNodes.splice(this.childNodes.indexOf(before), 0, node);
    return node;
  }
  removeChild<T extends MiniNode>(node: T): T {
    const i = this.childNodes.indexOf(node);
    if (i !== -1) this.childNodes.splice(i, 1);
    node.parentNode = null;
    return node;
  }
  hasChildNodes(): boolean {
    return this.childNodes.length > 0;
  }
  getElementsByTagName(name: string): MiniElement[] {
    return this.descendants().filter((el) => name === '*' || el.nodeName === name);
  }
  getElementsByTagNameNS(ns: string | null, local: string): MiniElement[] {
    return this.descendants().filter((el) => (ns === '*' || el.namespaceURI === ns) && (local === '*' || el.localName === local));
  }
  private descendants(): MiniElement[] {
    const out: MiniElement[] = [];
    const walk = (n: MiniNode) => {
      for (const c of n.childNodes) {
        if (c instanceof MiniElement) {
          out.push(c);
          walk(c);
        }
      }
    };
    walk(this);
    return out;
  }
  abstract cloneNode(deep?: boolean): MiniNode;
}

export class MiniText extends MiniNode {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  constructor(
    doc: MiniDocument | null,
    public data: string,
  ) {
    super(doc);
  }
  get nodeValue(): string {
    return this.data;
  }
  set nodeValue(v: string) {
    this.data = v;
  }
  override get textContent(): string {
    return this.data;
  }
  override set textContent(v: string) {
    this.data = v;
  }
  cloneNode(): MiniText {
    return new MiniText(this.ownerDocument, this.data);
  }
}

export interface MiniAttr {
  readonly name: string;
  readonly nodeName: string;
  readonly localName: string;
  value: string;
  nodeValue: string;
}

/** A NamedNodeMap-like, live view of an element's attributes. */
class AttributeMap {
  [index: number]: MiniAttr;
  constructor(private readonly list: MiniAttr[]) {
    return new Proxy(this, {
      get: (target, prop, receiver) => {
        if (typeof prop === 'string' && /^[0-9]+$/.test(prop)) return target.list[Number(prop)];
        return Reflect.get(target, prop, receiver);
      },
    });
  }
  get length(): number {
    return this.list.length;
  }
  getNamedItem(name: string): MiniAttr | null {
    return this.list.find((a) => a.name === name) ?? null;
  }
  item(i: number): MiniAttr | null {
    return this.list[i] ?? null;
  }
  [Symbol.iterator](): Iterator<MiniAttr> {
    return this.list[Symbol.iterator]();
  }
}

function makeAttr(name: string, value: string): MiniAttr {
  const colon = name.indexOf(':');
  const attr = { name, nodeName: name, localName: colon === -1 ? name : name.slice(colon + 1), value, nodeValue: value };
  return new Proxy(attr, {
    set(target, prop, v) {
      if (prop === 'value' || prop === 'nodeValue') {
        target.value = String(v);
        target.nodeValue = String(v);
        return true;
      }
      return Reflect.set(target, prop, v);
    },
  });
}

export class MiniElement extends MiniNode {
  readonly nodeType = 1;
  private readonly attrList: MiniAttr[] = [];
  readonly attributes = new AttributeMap(this.attrList);
  constructor(
    doc: MiniDocument | null,
    readonly nodeName: string,
    readonly namespaceURI: string | null,
  ) {
    super(doc);
  }
  get tagName(): string {
    return this.nodeName;
  }
  get localName(): string {
    const colon = this.nodeName.indexOf(':');
    return colon === -1 ? this.nodeName : this.nodeName.slice(colon + 1);
  }
  get prefix(): string | null {
    const colon = this.nodeName.indexOf(':');
    return colon === -1 ? null : this.nodeName.slice(0, colon);
  }
  getAttribute(name: string): string | null {
    return this.attrList.find((a) => a.name === name)?.value ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attrList.some((a) => a.name === name);
  }
  setAttribute(name: string, value: unknown): void {
    const existing = this.attrList.find((a) => a.name === name);
    if (existing) existing.value = String(value);
    else this.attrList.push(makeAttr(name, String(value)));
  }
  removeAttribute(name: string): void {
    const i = this.attrList.findIndex((a) => a.name === name);
    if (i !== -1) this.attrList.splice(i, 1);
  }
  cloneNode(deep = false): MiniElement {
    const copy = new MiniElement(this.ownerDocument, this.nodeName, this.namespaceURI);
    for (const a of this.attrList) copy.setAttribute(a.name, a.value);
    if (deep) for (const c of this.childNodes) copy.appendChild(c.cloneNode(true));
    return copy;
  }
}

class MiniFragment extends MiniNode {
  readonly nodeType = 11;
  readonly nodeName = '#document-fragment';
  cloneNode(deep = false): MiniFragment {
    const copy = new MiniFragment(this.ownerDocument);
    if (deep) for (const c of this.childNodes) copy.appendChild(c.cloneNode(true));
    return copy;
  }
}

export class MiniDocument extends MiniNode {
  readonly nodeType = 9;
  readonly nodeName = '#document';
  readonly implementation = miniImplementation;
  constructor() {
    super(null);
  }
  get documentElement(): MiniElement | null {
    return this.firstElementChild;
  }
  createElement(name: string): MiniElement {
    return new MiniElement(this, name, null);
  }
  createElementNS(ns: string | null, name: string): MiniElement {
    return new MiniElement(this, name, ns);
  }
  createTextNode(text: string): MiniText {
    return new MiniText(this, text);
  }
  createDocumentFragment(): MiniFragment {
    return new MiniFragment(this);
  }
  importNode<T extends MiniNode>(node: T, deep = false): T {
    return node.cloneNode(deep) as T;
  }
  cloneNode(deep = false): MiniDocument {
    const copy = new MiniDocument();
    if (deep) for (const c of this.childNodes) copy.appendChild(c.cloneNode(true));
    return copy;
  }
}

export const miniImplementation = {
  createDocument(ns: string | null, qualifiedName: string | null): MiniDocument {
    const doc = new MiniDocument();
    if (qualifiedName) doc.appendChild(doc.createElementNS(ns, qualifiedName));
    return doc;
  },
};
