// An XMPP-over-WebSocket client session for load generation (RFC 7395): subprotocol `xmpp`, one
// complete element per message, <open/> framing (section 3.3.2), SASL PLAIN, restart by a new
// <open/> (section 3.5), resource binding. Each message is a document of its own, so every stanza
// names its namespace (section 3.3.3: xmlns='jabber:client'). Uses `ws` for framing and masking.

import WebSocket from 'ws';
import { plainResponse, type Target } from './target.js';

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

type Step = 'features' | 'auth' | 'restart' | 'bind' | 'done';

export class WebSocketSession {
  jid = '';
  failure = '';
  /** After login: called with every inbound element. */
  onElement: (xml: string) => void = () => {};
  onFailure: (reason: string) => void = () => {};
  private socket: WebSocket | null = null;
  private step: Step = 'features';

  constructor(
    private readonly target: Target,
    readonly index: number,
    private readonly resource: string,
  ) {
    if (!target.wsUrl) throw new Error('no WebSocket endpoint');
  }

  login(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => settle(new Error(`login timed out in step ${this.step}`)), timeoutMs);
      const socket = new WebSocket(this.target.wsUrl as string, 'xmpp', { perMessageDeflate: false });
      this.socket = socket;
      socket.on('open', () => {
        (socket as unknown as { _socket?: { setNoDelay(on: boolean): void } })._socket?.setNoDelay(true);
        socket.send(this.open());
      });
      socket.on('unexpected-response', (_req, res) => settle(new Error(`HTTP ${res.statusCode} from ${new URL(this.target.wsUrl as string).pathname}`)));
      socket.on('error', (err) => {
        settle(err);
        this.fail(err.message);
      });
      socket.on('close', (code) => {
        settle(new Error(`WebSocket closed (${code}) in step ${this.step}`));
        this.fail(`closed (${code})`);
      });
      socket.on('message', (data: Buffer) => {
        const xml = data.toString('latin1');
        if (this.step === 'done') {
          this.onElement(xml);
          return;
        }
        try {
          this.negotiate(xml, () => settle());
        } catch (err) {
          settle(err as Error);
          socket.close();
        }
      });
    });
  }

  send(xml: string): void {
    this.socket?.send(xml);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    this.step = 'features'; // from here on a close is expected, not a failure
    this.failure = 'closing';
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 3000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.send(`<close xmlns='${FRAMING}'/>`);
    });
  }

  private open(): string {
    return `<open xmlns='${FRAMING}' to='${this.target.domain}' version='1.0'/>`;
  }

  private negotiate(xml: string, done: () => void): void {
    if (xml.startsWith('<stream:error') || xml.startsWith('<close')) throw new Error(`server ended the stream: ${xml.slice(0, 200)}`);
    if (xml.startsWith('<open')) return;
    switch (this.step) {
      case 'features':
        if (!xml.startsWith('<stream:features')) return;
        if (!xml.includes('>PLAIN<')) throw new Error('server does not offer SASL PLAIN over WebSocket');
        this.step = 'auth';
        this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plainResponse(this.target, this.index)}</auth>`);
        return;
      case 'auth':
        if (xml.startsWith('<failure')) throw new Error(`SASL failure: ${xml.slice(0, 200)}`);
        if (!xml.startsWith('<success')) return;
        this.step = 'restart';
        this.send(this.open());
        return;
      case 'restart':
        if (!xml.startsWith('<stream:features')) return;
        this.step = 'bind';
        this.send(`<iq type='set' id='bind1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${this.resource}</resource></bind></iq>`);
        return;
      case 'bind': {
        if (!xml.startsWith('<iq')) return;
        const jid = /<jid>([^<]+)<\/jid>/.exec(xml);
        if (!jid) throw new Error(`bind failed: ${xml.slice(0, 200)}`);
        this.jid = jid[1];
        this.step = 'done';
        this.send("<presence xmlns='jabber:client'/>");
        done();
      }
    }
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = reason;
    if (this.step === 'done') this.onFailure(reason);
  }
}
