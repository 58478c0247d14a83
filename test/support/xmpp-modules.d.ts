// Type declarations for the untyped client-side packages the tests drive.
declare module '@xmpp/xml' {
  export class Element {
    name: string;
    attrs: Record<string, string>;
    children: Array<Element | string>;
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getName(): string;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    toString(): string;
  }
  export class Parser {
    on(event: 'start' | 'element' | 'end', cb: (el: Element) => void): void;
    on(event: 'error', cb: (err: Error) => void): void;
    write(data: string): void;
  }
  export function xml(name: string, attrs?: Record<string, string> | null, ...children: unknown[]): Element;
  export default xml;
}
declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  export function client(opts: Record<string, unknown>): any;
  export function xml(name: string, attrs?: Record<string, string> | null, ...children: unknown[]): Element;
  export function jid(s: string): any;
}
declare module '@xmpp/component' {
  export function component(opts: { service: string; domain: string; password: string }): any;
  export function xml(name: string, attrs?: Record<string, string> | null, ...children: unknown[]): any;
}
