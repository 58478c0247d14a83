// A scripted RFC 7395 client for conversation tests over a real WebSocket: raw frames out, frames in
// (kept raw for exact-serialisation checks and parsed by xmpp.js's parser, so that the server's own
// parser does not judge its own output).

import { WebSocket, type ClientOptions } from 'ws';
import { Parser, type Element } from '@xmpp/xml';

export const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

export interface Frame {
  raw: string;
  el: Element | undefined;
}

export interface ConnectOptions {
  protocols?: string[];
  /** false: the client does not answer WebSocket pings (a dead peer, for RFC 7395 3.8). */
  autoPong?: boolean;
  headers?: Record<string, string>;
}

export class WsTestClient {
  readonly frames: string[] = [];
  private readonly buffer: Frame[] = [];
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private readonly parser = new Parser();
  private parsed: Element | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeCode: number | undefined;
  pings = 0;
  jid = '';

  private constructor(readonly ws: WebSocket) {
    // Each frame is one complete element: parse them as children of one synthetic root.
    this.parser.on('element', (el) => {
      this.parsed = el;
    });
    this.parser.on('error', () => undefined);
    this.parser.write('<frames>');
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('ping', () => this.pings++);
    ws.on('message', (data, isBinary) => this.onFrame(isBinary ? '' : data.toString()));
    ws.on('error', () => undefined);
  }

  static connect(url: string, opts: ConnectOptions = {}): Promise<WsTestClient> {
    const options: ClientOptions = { rejectUnauthorized: false, autoPong: opts.autoPong ?? true, headers: opts.headers };
    const ws = new WebSocket(url, opts.protocols ?? ['xmpp'], options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WsTestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  private onFrame(raw: string): void {
    this.frames.push(raw);
    this.parsed = undefined;
    this.parser.write(raw);
    const frame: Frame = { raw, el: this.parsed };
    const i = this.waiters.findIndex((w) => w.match(frame));
    if (i !== -1) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(frame);
      return;
    }
    this.buffer.push(frame);
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /** The next frame satisfying `match` (default: any), waiting up to `ms`. */
  receiveFrame(match: (f: Frame) => boolean = () => true, ms = 5000): Promise<Frame> {
    const i = this.buffer.findIndex(match);
    if (i !== -1) return Promise.resolve(this.buffer.splice(i, 1)[0]!);
    let waiter: { match: (f: Frame) => boolean; resolve: (f: Frame) => void } | undefined;
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${ms} ms waiting for a frame; got ${JSON.stringify(this.frames)}`));
      }, ms);
      waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next element named `name` (as written, e.g. 'stream:features'). */
  async receiveNamed(name: string, pred: (el: Element) => boolean = () => true, ms = 5000): Promise<Element> {
    const f = await this.receiveFrame((f) => f.el?.name === name && pred(f.el), ms);
    return f.el!;
  }

  /** Frames still unread. */
  pending(): Frame[] {
    return [...this.buffer];
  }

  /** Sends <open/> (RFC 7395 3.4) and resolves with the server's <open/> frame. */
  async open(to = 'localhost', extra = ''): Promise<Frame> {
    this.send(`<open xmlns="${FRAMING}" to="${to}" version="1.0"${extra}/>`);
    return this.receiveFrame((f) => f.el?.name === 'open');
  }

  async iq(xmlText: string, id: string): Promise<Element> {
    this.send(xmlText);
    return this.receiveNamed('iq', (el) => el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'));
  }

  /** Open, SASL PLAIN, restart with a new <open/> (3.7), bind. */
  async login(username: string, password: string, resource?: string): Promise<string> {
    await this.open();
    await this.receiveNamed('stream:features');
    const auth = Buffer.from(`\0${username}\0${password}`).toString('base64');
    this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`);
    const outcome = await this.receiveFrame((f) => f.el?.name === 'success' || f.el?.name === 'failure');
    if (outcome.el!.name !== 'success') throw new Error(`login failed: ${outcome.raw}`);
    await this.open();
    await this.receiveNamed('stream:features');
    const res = resource ? `<resource>${resource}</resource>` : '';
    const result = await this.iq(
      `<iq type='set' id='bind1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>${res}</bind></iq>`,
      'bind1',
    );
    this.jid = result.getChild('bind')!.getChildText('jid')!;
    return this.jid;
  }

  /** Sends initial presence and waits for our own presence to come back (RFC 6121 4.2.2). */
  async online(): Promise<void> {
    this.send(`<presence xmlns='jabber:client'/>`);
    await this.receiveNamed('presence', (el) => el.attrs.from === this.jid && !el.attrs.type);
  }

  close(): void {
    this.ws.close(1000);
  }

  destroy(): void {
    this.ws.terminate();
  }
}

/** The first child element of a <stream:error>: its condition. */
export function streamErrorCondition(el: Element): string | undefined {
  return el.getChildElements()[0]?.name;
}
