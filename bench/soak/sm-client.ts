// A load client that survives its own connection drops: RFC 6120 stream and SASL PLAIN (the stream
// header, splitter and PLAIN response come from bench/load), then XEP-0198 section 3 enable with
// resume, section 4 acks (h counts every stanza handled, <r/> answered with <a/>), and section 5
// resumption on a fresh TCP connection after a drop, sending the h it reached so the server resends
// exactly what was not handled.

import { connect, type Socket } from 'node:net';
import { StanzaSplitter } from '../load/stanza-splitter.js';
import { streamHeader } from '../load/xmpp-tcp-client.js';
import { plainResponse, type Target } from '../load/target.js';

const SM = 'urn:xmpp:sm:3';
type Step = 'features' | 'auth' | 'restart' | 'bind' | 'enable' | 'resume' | 'ready';

export class SmClient {
  /** Stanzas received and handled on this session (XEP-0198 'h'), across connections. */
  handled = 0;
  smId = '';
  jid = '';
  connected = false;
  drops = 0;
  resumes = 0;
  resumeFailures = 0;
  /** Set once a resume failed: the session, and its full-JID subscriptions, are gone. */
  broken = false;
  private socket: Socket | null = null;
  private step: Step = 'features';
  private settle: ((err?: Error) => void) | null = null;
  private iqWaiters = new Map<string, (xml: string) => void>();

  constructor(
    private readonly target: Target,
    readonly index: number,
    private readonly resource: string,
    /** Called with every stanza after the session is ready (messages, presences, IQ results too). */
    private readonly onStanza: (xml: string) => void,
  ) {}

  /** Logs in, binds and enables stream management with resumption. */
  start(timeoutMs = 60_000): Promise<void> {
    return this.open('bind', timeoutMs);
  }

  /** Drops the TCP connection without a closing handshake, as a network failure would. */
  drop(): void {
    if (!this.connected) return;
    this.connected = false;
    this.drops++;
    this.socket?.destroy();
  }

  /** A new connection, SASL again, then <resume/> with the h reached so far. */
  async resume(timeoutMs = 60_000): Promise<void> {
    try {
      await this.open('resume', timeoutMs);
      this.resumes++;
    } catch (err) {
      this.resumeFailures++;
      this.broken = true;
      throw err;
    }
  }

  send(xml: string): void {
    this.socket?.write(xml);
  }

  /** Sends an IQ with this id and resolves with the reply's text. */
  iq(id: string, xml: string, timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.iqWaiters.delete(id);
        reject(new Error(`iq ${id} timed out`));
      }, timeoutMs);
      this.iqWaiters.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.send(xml);
    });
  }

  close(): void {
    this.connected = false;
    this.socket?.end('</stream:stream>');
    this.socket?.destroy();
  }

  private open(mode: 'bind' | 'resume', timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${this.index}: ${mode} timed out in step ${this.step}`)), timeoutMs);
      const fail = (err?: Error) => {
        clearTimeout(timer);
        this.settle = null;
        if (err) {
          socket.destroy();
          reject(err);
        } else resolve();
      };
      this.settle = fail;
      this.step = 'features';
      const splitter = new StanzaSplitter({
        streamOpen: () => {},
        stanza: (xml) => this.onElement(xml, mode, socket),
        streamClose: () => socket.destroy(),
      });
      const socket = connect({ host: this.target.host, port: this.target.port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(streamHeader(this.target.domain)));
      socket.on('data', (buf: Buffer) => splitter.push(buf.toString('utf8')));
      socket.on('error', () => {});
      socket.on('close', () => {
        if (this.socket === socket) this.connected = false;
        this.settle?.(new Error(`${this.index}: connection closed in step ${this.step}`));
      });
    });
  }

  private onElement(xml: string, mode: 'bind' | 'resume', socket: Socket): void {
    if (socket !== this.socket) return;
    if (xml.startsWith('<stream:error')) {
      this.settle?.(new Error(`${this.index}: stream error ${xml.slice(0, 200)}`));
      return;
    }
    switch (this.step) {
      case 'features':
        if (!xml.startsWith('<stream:features')) return;
        this.step = 'auth';
        this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plainResponse(this.target, this.index)}</auth>`);
        return;
      case 'auth':
        if (xml.startsWith('<success')) {
          this.step = 'restart';
          this.send(streamHeader(this.target.domain));
        } else if (xml.startsWith('<failure')) this.settle?.(new Error(`${this.index}: SASL failure`));
        return;
      case 'restart':
        if (!xml.startsWith('<stream:features')) return;
        if (mode === 'resume') {
          this.step = 'resume';
          this.send(`<resume xmlns='${SM}' previd='${this.smId}' h='${this.handled}'/>`);
        } else {
          this.step = 'bind';
          this.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${this.resource}</resource></bind></iq>`);
        }
        return;
      case 'bind': {
        const jid = /<jid>([^<]+)<\/jid>/.exec(xml);
        if (!xml.startsWith('<iq') || !jid) return;
        this.jid = jid[1]!;
        this.step = 'enable';
        this.send(`<enable xmlns='${SM}' resume='true'/>`);
        return;
      }
      case 'enable': {
        if (!xml.startsWith('<enabled')) return;
        this.smId = /id=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? '';
        this.ready();
        return;
      }
      case 'resume':
        if (xml.startsWith('<resumed')) this.ready();
        else if (xml.startsWith('<failed')) this.settle?.(new Error(`${this.index}: resume failed ${xml}`));
        return;
      case 'ready':
        this.onReady(xml);
    }
  }

  private ready(): void {
    this.step = 'ready';
    this.connected = true;
    this.settle?.();
  }

  private onReady(xml: string): void {
    if (xml.startsWith('<r ') || xml.startsWith('<r/')) {
      this.send(`<a xmlns='${SM}' h='${this.handled}'/>`);
      return;
    }
    if (xml.startsWith('<a ')) return;
    // Counted before handling: a drop after this point must not make the server resend it.
    this.handled++;
    if (xml.startsWith('<iq')) {
      const id = /\sid=['"]([^'"]+)['"]/.exec(xml)?.[1];
      const waiter = id ? this.iqWaiters.get(id) : undefined;
      if (waiter) {
        this.iqWaiters.delete(id!);
        waiter(xml);
        return;
      }
    }
    this.onStanza(xml);
  }
}
