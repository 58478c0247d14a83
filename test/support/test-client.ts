// A scripted XMPP client for conversation tests ("alice sends ... alice receives ..."): raw XML out,
// elements in, parsed by xmpp.js's parser (@xmpp/xml, built on ltx) so the server's own parser
// does not judge its own output.

import net from 'node:net';
import tls from 'node:tls';
import { Parser, type Element } from '@xmpp/xml';

export type Received = Element;

export class TestClient {
  private parser!: Parser;
  private readonly buffer: Element[] = [];
  private waiters: Array<{ match: (el: Element) => boolean; resolve: (el: Element) => void }> = [];
  private text = '';
  header: Element | undefined;
  private headerWaiters: Array<(el: Element) => void> = [];
  readonly closed: Promise<void>;
  isClosed = false;
  /** Everything the server sent, for assertions on raw output. */
  raw = '';
  jid = '';

  private constructor(private socket: net.Socket | tls.TLSSocket, readonly domain: string) {
    this.newParser();
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
    this.attach(socket);
  }

  static connect(port: number, opts: { domain?: string; directTls?: boolean } = {}): Promise<TestClient> {
    const domain = opts.domain ?? 'localhost';
    return new Promise((resolve, reject) => {
      const socket = opts.directTls
        ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, servername: domain })
        : net.connect({ port, host: '127.0.0.1' });
      socket.once(opts.directTls ? 'secureConnect' : 'connect', () => resolve(new TestClient(socket, domain)));
      socket.once('error', reject);
    });
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', this.onData);
    socket.on('error', () => undefined);
  }

  private onData = (chunk: string): void => {
    this.raw += chunk;
    this.parser.write(chunk);
  };

  private newParser(): void {
    this.parser = new Parser();
    this.parser.on('start', (el) => {
      this.header = el;
      for (const w of this.headerWaiters.splice(0)) w(el);
    });
    this.parser.on('element', (el) => this.deliver(el));
    this.parser.on('end', () => undefined);
    this.parser.on('error', () => undefined);
  }

  private deliver(el: Element): void {
    const i = this.waiters.findIndex((w) => w.match(el));
    if (i !== -1) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(el);
      return;
    }
    this.buffer.push(el);
  }

  send(xmlText: string): void {
    this.socket.write(xmlText);
  }

  openStream(to = this.domain): Promise<Element> {
    this.newParser();
    this.header = undefined;
    const header = new Promise<Element>((resolve) => this.headerWaiters.push(resolve));
    this.send(
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${to}' version='1.0'>`,
    );
    return withTimeout(header, 5000, 'stream header');
  }

  /** The next element satisfying `match` (default: any), waiting up to `ms`. */
  receive(match: (el: Element) => boolean = () => true, ms = 5000): Promise<Element> {
    const i = this.buffer.findIndex(match);
    if (i !== -1) return Promise.resolve(this.buffer.splice(i, 1)[0]!);
    let waiter: { match: (el: Element) => boolean; resolve: (el: Element) => void } | undefined;
    const arrived = new Promise<Element>((resolve) => {
      waiter = { match, resolve };
      this.waiters.push(waiter);
    });
    return withTimeout(arrived, ms, 'an element from the server', () => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
  }

  /** The next element named `name` (optionally with an attribute predicate). */
  receiveNamed(name: string, pred: (el: Element) => boolean = () => true, ms = 5000): Promise<Element> {
    return this.receive((el) => el.name === name && pred(el), ms);
  }

  /** Asserts that nothing matching arrives within `ms`; returns what did arrive (should be none). */
  async nothing(match: (el: Element) => boolean = () => true, ms = 300): Promise<Element | undefined> {
    try {
      return await this.receive(match, ms);
    } catch {
      return undefined;
    }
  }

  pending(): Element[] {
    return [...this.buffer];
  }

  /** Sends an IQ and resolves with its result or error. */
  async iq(xmlText: string, id: string): Promise<Element> {
    this.send(xmlText);
    return this.receive((el) => el.name === 'iq' && el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'));
  }

  async startTls(): Promise<void> {
    this.send(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
    await this.receiveNamed('proceed');
    const raw = this.socket as net.Socket;
    raw.off('data', this.onData);
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false, servername: this.domain });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  /** SASL PLAIN (the test server allows it without TLS) and the stream restart; resolves with the new features. */
  async authenticate(username: string, password: string): Promise<Element> {
    await this.openStream();
    await this.receiveNamed('stream:features');
    const auth = Buffer.from(`\0${username}\0${password}`).toString('base64');
    this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`);
    const outcome = await this.receive((el) => el.name === 'success' || el.name === 'failure');
    if (outcome.name !== 'success') throw new Error(`login failed: ${outcome.toString()}`);
    await this.openStream();
    return this.receiveNamed('stream:features');
  }

  /** Full negotiation: authenticate, then bind. */
  async login(username: string, password: string, resource?: string): Promise<string> {
    await this.authenticate(username, password);
    const bindId = 'bind1';
    const res = resource ? `<resource>${resource}</resource>` : '';
    const result = await this.iq(
      `<iq type='set' id='${bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>${res}</bind></iq>`,
      bindId,
    );
    this.jid = result.getChild('bind')!.getChildText('jid')!;
    return this.jid;
  }

  /** Sends initial presence and waits for our own presence to come back (RFC 6121 4.2.2). */
  async online(extra = ''): Promise<void> {
    this.send(`<presence>${extra}</presence>`);
    await this.receive((el) => el.name === 'presence' && el.attrs.from === this.jid && !el.attrs.type);
  }

  close(): void {
    this.send('</stream:stream>');
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
