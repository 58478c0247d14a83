// Loads the browser build of Strophe.js 5 in Node for interop tests: it needs a DOM (DOMParser,
// XMLSerializer, document) and XMLHttpRequest, which Node lacks. Strophe's own Node build expects
// @xmldom/xmldom, which is not installed, so the globals come from mini-dom.ts and node-xhr.ts instead.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { miniImplementation } from './mini-dom.js';
import { MiniDOMParser, MiniXMLSerializer } from './mini-dom-parser.js';
import { NodeXMLHttpRequest } from './node-xhr.js';

/** The parts of Strophe the tests use (its own typings describe the Node build's module shape). */
export interface StropheElement {
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<StropheElement>;
  textContent: string;
  nodeName: string;
}
export interface StropheBuilder {
  c(name: string, attrs?: Record<string, string>): StropheBuilder;
  t(text: string): StropheBuilder;
  up(): StropheBuilder;
  tree(): StropheElement;
}
export interface StropheConnection {
  jid: string;
  connected: boolean;
  connect(jid: string, password: string, callback: (status: number, condition?: string) => void): void;
  disconnect(reason?: string): void;
  send(stanza: StropheBuilder | StropheElement): void;
  sendIQ(stanza: StropheBuilder, ok?: (el: StropheElement) => void, err?: (el: StropheElement | null) => void, timeout?: number): string;
  addHandler(handler: (el: StropheElement) => boolean, ns: string | null, name: string | null, type?: string | null, id?: string | null, from?: string | null): unknown;
  reset(): void;
}
export interface StropheModule {
  Strophe: {
    Connection: new (service: string, options?: Record<string, unknown>) => StropheConnection;
    Status: Record<string, number>;
    getText(el: StropheElement): string;
    setLogLevel(level: number): void;
    LogLevel: Record<string, number>;
  };
  $msg(attrs: Record<string, string>): StropheBuilder;
  $pres(attrs?: Record<string, string>): StropheBuilder;
  $iq(attrs: Record<string, string>): StropheBuilder;
}

let loaded: Promise<StropheModule> | undefined;

export function loadStrophe(): Promise<StropheModule> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    g.DOMParser = MiniDOMParser;
    g.XMLSerializer = MiniXMLSerializer;
    g.document = miniImplementation.createDocument(null, null);
    g.XMLHttpRequest = NodeXMLHttpRequest;
    const pkg = createRequire(import.meta.url).resolve('strophe.js/package.json');
    const strophe = (await import(pathToFileURL(join(dirname(pkg), 'dist', 'strophe.esm.js')).href)) as StropheModule;
    // Its default is DEBUG, which logs every request to the console.
    strophe.Strophe.setLogLevel(strophe.Strophe.LogLevel.ERROR!);
    return strophe;
  })();
  return loaded;
}

/** Resolves when `connect()` reports CONNECTED; rejects on a failure status. */
export function stropheConnect(strophe: StropheModule, conn: StropheConnection, jid: string, password: string): Promise<void> {
  const S = strophe.Strophe.Status;
  return new Promise((resolve, reject) => {
    conn.connect(jid, password, (status, condition) => {
      if (status === S.CONNECTED) resolve();
      else if (status === S.CONNFAIL || status === S.AUTHFAIL || status === S.ERROR || status === S.CONNTIMEOUT) {
        reject(new Error(`Strophe status ${status} ${condition ?? ''}`));
      }
    });
  });
}

/** The next stanza named `name` that `conn` receives and `match` accepts. */
export function nextStanza(conn: StropheConnection, name: string, match: (el: StropheElement) => boolean = () => true, ms = 5000): Promise<StropheElement> {
  return new Promise((resolve, reject) => {
    let done = false;
    const t = setTimeout(() => {
      done = true;
      reject(new Error(`timed out waiting for <${name}/>`));
    }, ms);
    conn.addHandler(
      (el) => {
        if (done) return false;
        if (!match(el)) return true;
        done = true;
        clearTimeout(t);
        resolve(el);
        return false;
      },
      null,
      name,
    );
  });
}

/** Resolves once Strophe no longer counts the connection as connected. */
export async function waitForDisconnect(conn: StropheConnection, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (conn.connected) {
    if (Date.now() > deadline) throw new Error('Strophe did not disconnect');
    await new Promise((r) => setTimeout(r, 20));
  }
}
