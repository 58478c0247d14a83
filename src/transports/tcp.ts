// RFC 6120 over TCP: client streams on the c2s port with STARTTLS (section 5), and on the direct-TLS
// port (XEP-0368). Framing only: bytes go to the restricted-XML stream parser, elements to the
// stream engine, and the engine's output is batched (output-batching.ts, DESIGN.md section 7).

import { log } from '../core/log.js';
import net from 'node:net';
import tls from 'node:tls';
import type { Element } from '../xml/element.js';
import { StreamParser } from '../xml/stream-parser.js';
import { OutputBatching } from './output-batching.js';
import { NS } from '../protocol/namespaces.js';
import { escapeAttribute } from '../xml/escape.js';
import { streamErrorXml, type StreamErrorCondition } from '../protocol/stream-error.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { AdmissionTicket, ConnectionLimiter } from './connection-limiter.js';
import { StreamEngine } from '../stream/stream-engine.js';
import type { StreamContext } from '../stream/stream-context.js';
import type { ChannelBinding, StreamTransport } from '../stream/stream-transport.js';
import { TLS_EXPORTER_LABEL, TLS_EXPORTER_LENGTH } from '../stream/sasl/index.js';

export interface TcpLimits {
  maxStanzaBytes: number;
  maxDepth: number;
  /** Bytes queued for a reader that does not read; beyond it the stream is cut off. */
  outboundQueueBytes: number;
  bytesPerSecond: number;
  stanzasPerSecond: number;
}

export class TcpStreamConnection implements StreamTransport {
  readonly kind = 'tcp' as const;
  readonly remoteAddress: string;
  private socket: net.Socket | tls.TLSSocket;
  private parser!: StreamParser;
  private epoch = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly output = new OutputBatching();
  private destroyed = false;
  readonly engine: StreamEngine;
  private readonly bytesIn: TokenBucket;
  private readonly stanzasIn: TokenBucket;

  constructor(
    socket: net.Socket | tls.TLSSocket,
    ctx: StreamContext,
    private readonly limits: TcpLimits,
    private readonly tlsContext: tls.SecureContext | undefined,
    private readonly ticket?: AdmissionTicket,
  ) {
    this.socket = socket;
    // Two seconds of burst: a client catching up after a reconnect is not an attacker.
    this.bytesIn = new TokenBucket(limits.bytesPerSecond, limits.bytesPerSecond * 2);
    this.stanzasIn = new TokenBucket(limits.stanzasPerSecond, limits.stanzasPerSecond * 2);
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    socket.setNoDelay(true);
    this.engine = new StreamEngine(this, ctx);
    this.newParser();
    this.attach(socket);
  }

  get secure(): boolean {
    return this.socket instanceof tls.TLSSocket && this.socket.encrypted;
  }

  get canStartTls(): boolean {
    return !this.secure && this.tlsContext !== undefined;
  }

  channelBinding(): ChannelBinding | undefined {
    const s = this.socket;
    if (!(s instanceof tls.TLSSocket)) return undefined;
    if (s.getProtocol() === 'TLSv1.3') {
      return { type: 'tls-exporter', data: s.exportKeyingMaterial(TLS_EXPORTER_LENGTH, TLS_EXPORTER_LABEL, Buffer.alloc(0)) };
    }
    // RFC 5929 section 3.1: the first Finished message of the latest handshake; the client's in a
    // full handshake, ours when the session was resumed.
    const finished = s.isSessionReused() ? s.getFinished() : s.getPeerFinished();
    return finished ? { type: 'tls-unique', data: finished } : undefined;
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('close', this.onClose);
  }

  private onData = (chunk: Buffer): void => {
    this.output.heard();
    if (!this.bytesIn.take(chunk.length)) {
      this.engine.fail('policy-violation', 'More data per second than this server accepts');
      return;
    }
    this.parser.write(chunk);
  };

  private onClose = (): void => {
    this.destroyed = true;
    this.ticket?.release();
    this.engine.onTransportClosed();
  };

  onAuthenticated(): void {
    this.ticket?.authenticated();
  }

  private newParser(): void {
    const epoch = ++this.epoch;
    // Elements are handled one after another, in order, even when a handler awaits storage.
    // Anything queued under an older parser (e.g. bytes pipelined after <starttls/>) is dropped.
    const run = (fn: () => void | Promise<void>) => {
      this.queue = this.queue.then(() => (epoch === this.epoch ? fn() : undefined)).catch((err) => {
        log.error({ err, remote: this.remoteAddress }, 'stream handler failed');
        this.engine.fail('internal-server-error');
      });
    };
    this.parser = new StreamParser(
      {
        onStreamStart: (root) => run(() => this.onStreamStart(root)),
        onElement: (el) =>
          run(() =>
            this.stanzasIn.take(1) ? this.engine.onElement(el) : this.engine.fail('policy-violation', 'More stanzas per second than this server accepts'),
          ),
        onStreamEnd: () => run(() => this.engine.onStreamEnd()),
        onError: (condition, text) => run(() => this.engine.onParseError(condition as StreamErrorCondition, text)),
      },
      { maxStanzaBytes: this.limits.maxStanzaBytes, maxDepth: this.limits.maxDepth },
    );
  }

  private onStreamStart(root: Element): void {
    let problem: StreamErrorCondition | undefined;
    if (root.localName !== 'stream' || root.getNS() !== NS.STREAM) {
      problem = root.localName === 'stream' && root.prefix !== 'stream' ? 'bad-namespace-prefix' : 'invalid-namespace';
    } else if (root.prefix !== 'stream') {
      problem = 'bad-namespace-prefix';
    } else if (root.attrs.xmlns !== NS.CLIENT) {
      problem = 'invalid-namespace';
    }
    this.engine.onStreamStart(
      { to: root.attrs.to, from: root.attrs.from, version: root.attrs.version, lang: root.attrs['xml:lang'] },
      problem,
    );
  }

  openStream(attrs: Record<string, string>): void {
    let header = `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAM}'`;
    for (const [k, v] of Object.entries(attrs)) header += ` ${k}='${escapeAttribute(v)}'`;
    this.write(header + '>');
  }

  write(data: string): void {
    if (this.destroyed) return;
    const socket = this.socket;
    this.output.beforeWrite(socket);
    socket.write(data);
    if (socket.writableLength > this.limits.outboundQueueBytes) {
      // A reader this slow would hold memory for everyone else's fan-out: cut it off.
      this.destroyed = true;
      socket.destroy();
    }
  }

  resetParser(): void {
    this.newParser();
  }

  async startTls(): Promise<void> {
    const raw = this.socket as net.Socket;
    this.detach(raw);
    this.epoch++; // nothing read before the handshake may be used after it
    raw.pause();
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: this.tlsContext });
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
    });
    this.newParser();
    this.attach(secure);
    secure.resume();
  }

  /**
   * Shutdown: stop reading, and wait until every element already read has been handled, so what
   * the server accepted before SIGTERM is answered before system-shutdown (DESIGN.md section 8).
   */
  async drain(): Promise<void> {
    this.socket.pause();
    let seen: Promise<void> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  closeStream(): void {
    if (this.destroyed) return;
    this.socket.end('</stream:stream>');
    // Give the peer a moment to close its side, then drop the connection (RFC 6120 4.4).
    setTimeout(() => this.destroy(), 2000).unref();
  }

  destroy(): void {
    this.destroyed = true;
    this.socket.destroy();
  }
}

export interface C2sListeners {
  plain: net.Server;
  direct: tls.Server | undefined;
}

export async function listenC2s(opts: {
  host: string;
  port: number;
  tlsPort: number | undefined;
  ctx: StreamContext;
  limits: TcpLimits;
  tlsContext: tls.SecureContext;
  cert: Buffer;
  key: Buffer;
  connections: Set<TcpStreamConnection>;
  limiter: ConnectionLimiter;
}): Promise<C2sListeners> {
  const track = (socket: net.Socket) => {
    const ticket = opts.limiter.admit(socket.remoteAddress ?? 'unknown');
    if (!ticket) {
      // RFC 6120 4.9.1.1: a header first, then the error, then close.
      socket.on('error', () => socket.destroy());
      socket.end(
        `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAM}' version='1.0'>` +
          streamErrorXml('policy-violation', 'Too many connections from your address') +
          '</stream:stream>',
      );
      return;
    }
    const conn = new TcpStreamConnection(socket, opts.ctx, opts.limits, opts.tlsContext, ticket);
    opts.connections.add(conn);
    socket.once('close', () => opts.connections.delete(conn));
  };
  const plain = net.createServer({ noDelay: true }, track);
  await listen(plain, opts.port, opts.host);
  let direct: tls.Server | undefined;
  if (opts.tlsPort !== undefined) {
    direct = tls.createServer({ cert: opts.cert, key: opts.key, minVersion: 'TLSv1.2', ALPNProtocols: ['xmpp-client'] }, track);
    await listen(direct, opts.tlsPort, opts.host);
  }
  return { plain, direct };
}

export function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
