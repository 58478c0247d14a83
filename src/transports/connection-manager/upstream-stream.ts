// RFC 6120 from the client's side, as a connection manager speaks it to the XMPP server behind it (XEP-0124
// section 3, XEP-0206 sections 3-5): open a stream with the client's 'to', negotiate STARTTLS (section 5)
// when the server offers it, then relay first-level elements both ways; the client's restart after SASL
// success (section 6.4.6) is a new stream header on the same connection. The client never sees the STARTTLS
// exchange nor the pre-TLS stream header, only what follows it.

import net from 'node:net';
import tls from 'node:tls';
import { NS } from '../../protocol/namespaces.js';
import type { Element } from '../../xml/element.js';
import { escapeAttribute } from '../../xml/escape.js';
import { StreamParser } from '../../xml/stream-parser.js';
import type { UpstreamTarget } from './route.js';

export interface UpstreamHeader {
  to: string;
  from?: string;
  lang?: string;
  version?: string;
}

export interface UpstreamHandlers {
  /** The server's stream header for the client: after TLS, and after each restart. */
  header(attrs: Readonly<Record<string, string>>): void;
  /** A first-level element for the client (stream errors excepted). */
  element(el: Element): void;
  /** The server sent <stream:error/>; the stream is over. */
  streamError(el: Element): void;
  /** The server closed its stream cleanly. */
  end(): void;
  /** Could not connect, could not secure the connection, or lost it; `reason` is for logs. */
  failed(reason: string): void;
}

export interface UpstreamOptions {
  /** Check the server's certificate against the stream's 'to' (off for loopback servers, see route.ts). */
  verifyTls: boolean;
  maxStanzaBytes: number;
  maxDepth: number;
  connectTimeoutMs?: number;
}

type State = 'idle' | 'connecting' | 'negotiating' | 'starttls' | 'open' | 'closed';

export class UpstreamStream {
  private socket: net.Socket | tls.TLSSocket | undefined;
  private parser: StreamParser | undefined;
  private state: State = 'idle';
  private header: UpstreamHeader | undefined;
  /** The header answering ours before TLS is decided; shown to the client only if no TLS follows. */
  private pendingHeader: Record<string, string> | undefined;
  /** Client data that arrived before the stream was open to the client. */
  private queued: string[] = [];
  private secured = false;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly handlers: UpstreamHandlers,
    private readonly options: UpstreamOptions,
  ) {}

  get isOpen(): boolean {
    return this.state === 'open';
  }

  open(header: UpstreamHeader): void {
    if (this.state !== 'idle') return;
    this.header = header;
    this.state = 'connecting';
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs ?? 10_000, () => this.fail('connection timed out'));
    socket.once('connect', () => {
      socket.setTimeout(0);
      this.attach(socket);
      this.startStream();
    });
    socket.once('error', (err) => this.fail(`cannot connect: ${err.message}`));
  }

  /** XEP-0206 section 5: a new stream on the same connection, after SASL success. */
  restart(header: Partial<UpstreamHeader>): void {
    if (this.state !== 'open' || !this.header) return;
    this.header = { ...this.header, ...definedOnly(header) };
    this.startStream();
  }

  /** One serialised element from the client; held back until the stream is open to the client. */
  send(serialised: string): void {
    if (this.state === 'closed') return;
    if (this.state !== 'open') this.queued.push(serialised);
    else this.socket!.write(serialised);
  }

  /** Closes our stream (RFC 6120 4.4) and the connection once the server has closed its own. */
  close(): void {
    if (this.state === 'closed' || this.state === 'idle') {
      this.state = 'closed';
      return;
    }
    const socket = this.socket!;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (wasOpen && socket.writable) socket.end('</stream:stream>');
    else socket.destroy();
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  destroy(): void {
    this.state = 'closed';
    this.socket?.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.parser?.write(chunk));
    socket.on('close', () => this.fail('connection lost'));
    socket.on('error', () => socket.destroy());
  }

  private startStream(): void {
    const parser: StreamParser = new StreamParser(
      {
        onStreamStart: (root) => this.parser === parser && this.onHeader(root.attrs),
        onElement: (el) => this.parser === parser && this.onElement(el),
        onStreamEnd: () => this.parser === parser && this.onEnd(),
        onError: (_condition, text) => this.parser === parser && this.fail(`invalid XML from the server: ${text}`),
      },
      { maxStanzaBytes: this.options.maxStanzaBytes, maxDepth: this.options.maxDepth },
    );
    this.parser = parser;
    if (this.state !== 'open') this.state = 'negotiating';
    const h = this.header!;
    let out = `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAM}' to='${escapeAttribute(h.to)}'`;
    out += ` version='${escapeAttribute(h.version ?? '1.0')}'`;
    if (h.from !== undefined) out += ` from='${escapeAttribute(h.from)}'`;
    if (h.lang !== undefined) out += ` xml:lang='${escapeAttribute(h.lang)}'`;
    this.socket!.write(out + '>');
  }

  private onHeader(attrs: Record<string, string>): void {
    if (this.state === 'open') return this.handlers.header(attrs);
    this.pendingHeader = attrs;
  }

  private onElement(el: Element): void {
    if (el.localName === 'error' && el.getNS() === NS.STREAM) {
      this.state = 'closed';
      this.handlers.streamError(el);
      this.socket?.end();
      return;
    }
    if (this.state === 'starttls') {
      if (el.localName === 'proceed' && el.getNS() === NS.TLS) return void this.upgrade();
      return this.fail('the server refused STARTTLS');
    }
    if (this.state === 'negotiating') {
      const features = el.localName === 'features' && el.getNS() === NS.STREAM;
      if (features && !this.secured && el.getChild('starttls', NS.TLS)) {
        this.state = 'starttls';
        this.socket!.write(`<starttls xmlns='${NS.TLS}'/>`);
        return;
      }
      this.state = 'open';
      if (this.pendingHeader) this.handlers.header(this.pendingHeader);
      this.pendingHeader = undefined;
      this.handlers.element(el);
      for (const data of this.queued.splice(0)) this.socket!.write(data);
      return;
    }
    if (this.state === 'open') this.handlers.element(el);
  }

  private onEnd(): void {
    if (this.state === 'closed') return void this.socket?.destroy();
    this.state = 'closed';
    this.handlers.end();
    this.socket?.end();
  }

  private upgrade(): void {
    const raw = this.socket as net.Socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('close');
    this.parser = undefined;
    const to = this.header!.to;
    const secure = tls.connect({
      socket: raw,
      servername: net.isIP(to) === 0 ? to : undefined,
      rejectUnauthorized: this.options.verifyTls,
      minVersion: 'TLSv1.2',
    });
    this.socket = secure;
    secure.once('secureConnect', () => {
      this.secured = true;
      this.attach(secure);
      this.state = 'negotiating';
      this.startStream();
    });
    secure.once('error', (err) => this.fail(`TLS with the server failed: ${err.message}`));
  }

  private fail(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket?.destroy();
    this.handlers.failed(reason);
  }
}

function definedOnly(header: Partial<UpstreamHeader>): Partial<UpstreamHeader> {
  const out: Partial<UpstreamHeader> = {};
  for (const [k, v] of Object.entries(header)) if (v !== undefined) (out as Record<string, string>)[k] = v;
  return out;
}
