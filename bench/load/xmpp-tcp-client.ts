// A minimal XMPP client over plain TCP for load generation: RFC 6120 section 4 stream, section 6
// SASL with PLAIN (RFC 4616), section 4.3.3 restart, section 7 resource binding. Everything it sends
// is a pre-built string; everything it reads is matched with indexOf, so one generator core can drive
// thousands of connections. After login the caller picks how inbound bytes are handled: cut into
// stanzas (low rate: IQ replies) or handed over raw (high rate: counting markers).

import { connect, type Socket } from 'node:net';
import { StanzaSplitter } from './stanza-splitter.js';
import { jidOf, plainResponse, type Target } from './target.js';

export function streamHeader(domain: string): string {
  return `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`;
}

type Step = 'features' | 'auth' | 'restart' | 'bind' | 'done';

export class XmppTcpClient {
  socket: Socket | null = null;
  /** The full JID the server bound. */
  jid = '';
  closed = false;
  /** Called once when the connection ends after login (not after close()). */
  onDrop: ((reason: string) => void) | null = null;
  private splitter: StanzaSplitter;
  private stanzaHandler: ((xml: string) => void) | null = null;
  private rawHandler: ((text: string) => void) | null = null;
  private step: Step = 'features';
  private settle: ((err?: Error) => void) | null = null;
  private closing = false;

  constructor(
    private readonly target: Target,
    readonly index: number,
    private readonly resource: string,
  ) {
    this.splitter = new StanzaSplitter({
      streamOpen: () => {},
      stanza: (xml) => this.onStanza(xml),
      streamClose: () => this.fail('server closed the stream'),
    });
  }

  get bareJid(): string {
    return jidOf(this.target, this.index);
  }

  /** Connects, authenticates with PLAIN and binds `resource`. */
  login(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`login timed out in step ${this.step}`), timeoutMs);
      this.settle = (err) => {
        clearTimeout(timer);
        this.settle = null;
        if (err) reject(err);
        else resolve();
      };
      const socket = connect({ host: this.target.host, port: this.target.port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(streamHeader(this.target.domain)));
      socket.on('data', (buf: Buffer) => {
        const text = buf.toString('latin1');
        if (this.rawHandler) this.rawHandler(text);
        else this.splitter.push(text);
      });
      socket.on('error', (err) => this.fail(err.message));
      socket.on('close', () => this.fail('connection closed'));
    });
  }

  send(xml: string): void {
    this.socket?.write(xml);
  }

  /** After login: deliver each inbound first-level element to `handler`. */
  useStanzas(handler: (xml: string) => void): void {
    this.stanzaHandler = handler;
  }

  /** After login: deliver inbound text unparsed (anything already buffered first). */
  useRaw(handler: (text: string) => void): void {
    const pending = this.splitter.pending();
    this.rawHandler = handler;
    if (pending.length > 0) handler(pending);
  }

  /** Ends the stream politely (RFC 6120 section 4.4) and waits for the socket to close. */
  close(timeoutMs = 5000): Promise<void> {
    const socket = this.socket;
    if (!socket || this.closed) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end('</stream:stream>');
    });
  }

  private onStanza(xml: string): void {
    if (xml.startsWith('<stream:error')) {
      this.fail(`stream error: ${firstChildName(xml)}`);
      return;
    }
    switch (this.step) {
      case 'features':
        if (!xml.startsWith('<stream:features')) return;
        if (!xml.includes('>PLAIN<')) {
          this.fail('server does not offer SASL PLAIN');
          return;
        }
        this.step = 'auth';
        this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plainResponse(this.target, this.index)}</auth>`);
        return;
      case 'auth':
        if (xml.startsWith('<success')) {
          this.step = 'restart';
          this.send(streamHeader(this.target.domain));
        } else if (xml.startsWith('<failure')) {
          this.fail(`SASL failure: ${firstChildName(xml)}`);
        }
        return;
      case 'restart':
        if (!xml.startsWith('<stream:features')) return;
        this.step = 'bind';
        this.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${this.resource}</resource></bind></iq>`);
        return;
      case 'bind': {
        if (!xml.startsWith('<iq') || !/id=["']bind1["']/.test(xml)) return;
        const jid = /<jid>([^<]+)<\/jid>/.exec(xml);
        if (!/type=["']result["']/.test(xml) || !jid) {
          this.fail(`bind failed: ${firstChildName(xml.slice(xml.indexOf('<error')))}`);
          return;
        }
        this.jid = jid[1];
        this.step = 'done';
        this.settle?.();
        return;
      }
      case 'done':
        this.stanzaHandler?.(xml);
    }
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.destroy();
    if (this.step !== 'done') this.settle?.(new Error(`${this.bareJid}: ${reason}`));
    else if (!this.closing) this.onDrop?.(reason);
  }

}

/** The name of the first child element (a SASL failure or stream error condition). */
export function firstChildName(xml: string): string {
  const m = /^<[^>]*[^/]>\s*<([A-Za-z][\w:-]*)/.exec(xml);
  return m ? m[1] : xml.slice(0, 120);
}
