// RFC 7395 sections 3.2 to 3.9: one XMPP stream over one WebSocket. Framing only: each text message
// is parsed as exactly one element (3.3.1) and handed to the shared stream engine; <open/> and
// <close/> are the stream headers (3.4, 3.6), a restart is a new <open/> on the same socket (3.7),
// liveness is checked with WebSocket pings (3.8), and there is no STARTTLS (3.9).

import type net from 'node:net';
import tls from 'node:tls';
import { WebSocket, type RawData } from 'ws';
import type { Element } from '../../xml/element.js';
import { parseDocument } from '../../xml/parse-document.js';
import { XmlParseError } from '../../xml/xml-error.js';
import type { StreamErrorCondition } from '../../protocol/stream-error.js';
import { StreamEngine } from '../../stream/stream-engine.js';
import type { StreamContext } from '../../stream/stream-context.js';
import type { ChannelBinding, StreamTransport } from '../../stream/stream-transport.js';
import { TokenBucket } from '../../core/token-bucket.js';
import { OutputBatching } from '../output-batching.js';
import { CLIENT_SCOPE, classifyFrame, closeFrame, openFrame, qualifyStanza, refusalOpenAttributes } from './framing.js';

export interface WebSocketLimits {
  maxStanzaBytes: number;
  maxDepth: number;
  /** Bytes queued for a reader that does not read; beyond it the connection is cut off. */
  outboundQueueBytes: number;
  /** DESIGN.md section 8: incoming bytes and elements per second; beyond them, policy-violation. */
  bytesPerSecond?: number;
  stanzasPerSecond?: number;
}

/** A place in the per-address admission count (the composition root's ConnectionLimiter issues them). */
export interface AdmissionTicket {
  authenticated(): void;
  release(): void;
}

export interface WebSocketConnectionOptions {
  /** The upgrade came in over HTTPS (wss:), so the stream counts as encrypted. */
  secure: boolean;
  limits: WebSocketLimits;
  /** 3.6.1: answer every <open/> with a close carrying see-other-uri instead of serving the stream. */
  redirectTo?: string;
  /** How long to wait for the peer's <close/> after ours before closing the WebSocket anyway. */
  closeTimeoutMs: number;
  ticket?: AdmissionTicket;
}

/** WebSocket close codes of RFC 6455 section 7.4.1 used here. */
export const CLOSE_CODES = { normal: 1000, unsupportedData: 1003, tooBig: 1009 } as const;

export class WebSocketStreamConnection implements StreamTransport {
  readonly kind = 'websocket' as const;
  readonly remoteAddress: string;
  readonly secure: boolean;
  readonly canStartTls = false;
  readonly engine: StreamEngine;
  private queue: Promise<void> = Promise.resolve();
  /** True until an <open/> starts the stream, and again after the engine asks for a restart. */
  private expectingOpen = true;
  /** The peer sent its <close/>. */
  private peerClosed = false;
  /** We sent our <close/>. */
  private streamClosed = false;
  /** A framing or parse error ended input: later messages are not even parsed. */
  private inputEnded = false;
  private readonly output = new OutputBatching();
  private closeTimer: NodeJS.Timeout | undefined;
  private redirectUri: string | undefined;
  /** 3.8 liveness: traffic seen since the last keepalive tick, and a ping still unanswered. */
  private heard = false;
  private awaitingPong = false;
  private readonly bytesIn: TokenBucket | undefined;
  private readonly stanzasIn: TokenBucket | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: net.Socket,
    ctx: StreamContext,
    private readonly options: WebSocketConnectionOptions,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.secure = options.secure;
    const { bytesPerSecond, stanzasPerSecond } = options.limits;
    if (bytesPerSecond !== undefined) this.bytesIn = new TokenBucket(bytesPerSecond, bytesPerSecond * 2);
    if (stanzasPerSecond !== undefined) this.stanzasIn = new TokenBucket(stanzasPerSecond, stanzasPerSecond * 2);
    this.engine = new StreamEngine(this, ctx);
    ws.on('message', this.onMessage);
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('error', () => undefined); // 'close' follows; ws has already sent the close code (e.g. 1009)
    ws.on('close', this.onClose);
  }

  /** SCRAM -PLUS over wss: the TLS connection under the WebSocket (RFC 9266 on 1.3, RFC 5929 on 1.2). */
  channelBinding(): ChannelBinding | undefined {
    const s = this.socket;
    if (!(s instanceof tls.TLSSocket)) return undefined;
    if (s.getProtocol() === 'TLSv1.3') {
      return { type: 'tls-exporter', data: s.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0)) };
    }
    const finished = s.isSessionReused() ? s.getFinished() : s.getPeerFinished();
    return finished ? { type: 'tls-unique', data: finished } : undefined;
  }

  /** Elements are handled one after another, in order, even when a handler awaits storage. */
  private run(fn: () => void | Promise<void>): void {
    this.queue = this.queue.then(fn).catch((err) => {
      console.error('websocket stream handler failed', err);
      this.engine.fail('internal-server-error');
    });
  }

  private onMessage = (data: RawData, isBinary: boolean): void => {
    this.heard = true;
    this.output.heard();
    this.awaitingPong = false;
    if (this.peerClosed) return;
    if (isBinary) {
      // 3.2: the subprotocol uses text (UTF-8) messages only.
      this.inputEnded = true;
      this.ws.close(CLOSE_CODES.unsupportedData, 'XMPP over WebSocket uses text messages');
      return;
    }
    // After a violation only the peer's <close/> still matters (we wait for it after ours, 3.6).
    if (this.inputEnded && !this.streamClosed) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!this.inputEnded && this.bytesIn && !this.bytesIn.take(bytes.length)) {
      this.inputEnded = true;
      this.run(() => this.engine.fail('policy-violation', 'More data per second than this server accepts'));
      return;
    }
    if (isWhitespaceOnly(bytes)) return; // a keepalive some clients send despite 3.8; nothing to judge
    let el: Element;
    try {
      el = parseDocument(bytes, { maxStanzaBytes: this.options.limits.maxStanzaBytes, maxDepth: this.options.limits.maxDepth });
    } catch (err) {
      if (this.inputEnded) return;
      this.inputEnded = true;
      if (err instanceof XmlParseError) {
        this.run(() => this.engine.onParseError(err.condition as StreamErrorCondition, err.message));
      } else {
        console.error('websocket message parsing failed', err);
        this.run(() => this.engine.fail('internal-server-error'));
      }
      return;
    }
    const kind = classifyFrame(el);
    if (kind === 'close') this.peerClosed = true;
    if (this.inputEnded) {
      if (kind === 'close') this.run(() => this.onPeerClose());
      return;
    }
    this.run(() => this.dispatch(el));
  };

  private dispatch(el: Element): void | Promise<void> {
    switch (classifyFrame(el)) {
      case 'open':
        if (!this.expectingOpen) {
          return this.engine.onParseError('not-well-formed', 'The stream is already open; <open/> is only sent after SASL success');
        }
        return this.onOpen(el, undefined);
      case 'misqualified-open':
        // 3.3.2: the headers are qualified by the framing namespace; anything else is invalid-namespace.
        if (!this.expectingOpen) return this.engine.onParseError('invalid-namespace', 'Unexpected stream header');
        return this.onOpen(el, 'invalid-namespace');
      case 'close':
        return this.onPeerClose();
      case 'element':
        if (this.stanzasIn && !this.stanzasIn.take(1)) {
          return this.engine.fail('policy-violation', 'More stanzas per second than this server accepts');
        }
        if (el.getNS() === undefined) el.parent = CLIENT_SCOPE;
        return this.engine.onElement(el);
    }
  }

  private onOpen(el: Element, problem: StreamErrorCondition | undefined): void {
    this.expectingOpen = false;
    const redirect = this.options.redirectTo;
    if (redirect !== undefined && problem === undefined && this.engine.username === undefined) {
      this.openStream(refusalOpenAttributes(this.engine.ctx.domain));
      this.redirectUri = redirect;
      this.engine.close();
      return;
    }
    this.engine.onStreamStart(
      { to: el.attrs.to, from: el.attrs.from, version: el.attrs.version, lang: el.attrs['xml:lang'] },
      problem,
    );
  }

  private onPeerClose(): void {
    if (this.streamClosed) {
      // We closed first and the peer answered: the XMPP stream is over, end the WebSocket (3.6).
      this.endSocket();
      return;
    }
    this.engine.onStreamEnd();
  }

  private onClose = (): void => {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.inputEnded = true;
    this.options.ticket?.release();
    this.engine.onTransportClosed();
  };

  /** SASL succeeded: the stream no longer counts as unauthenticated for admission control. */
  onAuthenticated(): void {
    this.options.ticket?.authenticated();
  }

  /** 3.6.1: close this stream with see-other-uri (e.g. to move a client to another node). */
  redirect(uri: string): void {
    this.redirectUri = uri;
    this.engine.close();
  }

  openStream(attrs: Record<string, string>): void {
    this.send(openFrame(attrs));
  }

  write(data: string): void {
    this.send(qualifyStanza(data));
  }

  private send(frame: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // One message per element (3.3.1), but one TCP write for many of them (output-batching.ts).
    this.output.beforeWrite(this.socket);
    this.ws.send(frame);
    if (this.ws.bufferedAmount > this.options.limits.outboundQueueBytes) {
      // A reader this slow would hold memory for everyone else's fan-out: cut it off.
      this.destroy();
    }
  }

  /** The engine expects a stream restart (after SASL success). */
  resetParser(): void {
    // 3.7: every message is a complete document, so there is no parser state; a restart is the
    // client's next <open/>.
    this.expectingOpen = true;
  }

  closeStream(): void {
    if (this.streamClosed) return;
    this.streamClosed = true;
    this.send(closeFrame(this.redirectUri));
    if (this.peerClosed) {
      this.endSocket();
      return;
    }
    // Wait for the peer's <close/> (3.6), but not forever.
    this.closeTimer = setTimeout(() => this.endSocket(), this.options.closeTimeoutMs);
    this.closeTimer.unref();
  }

  private endSocket(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.inputEnded = true;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(CLOSE_CODES.normal);
  }

  destroy(): void {
    this.inputEnded = true;
    this.ws.terminate();
  }

  /**
   * 3.8: called every ping interval. Traffic since the last tick proves the peer alive; otherwise it
   * gets a ping, and a ping still unanswered at the next tick ends the connection.
   */
  keepalive(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.awaitingPong) {
      this.engine.fail('connection-timeout', 'No answer to the WebSocket ping');
      // A dead peer will not finish a closing handshake; drop it once the error is flushed.
      setImmediate(() => this.destroy());
      return;
    }
    if (this.heard) {
      this.heard = false;
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }
}

function isWhitespaceOnly(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

