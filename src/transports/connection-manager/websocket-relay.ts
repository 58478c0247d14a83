// RFC 7395 as a standalone connection manager: one WebSocket (subprotocol 'xmpp', one element per text
// message, section 3.3) relayed to an XMPP server over TCP. <open/> starts or restarts the upstream stream
// (sections 3.4, 3.7), the server's headers come back as <open/>, its elements as messages with their
// namespaces declared, <close/> maps to </stream:stream> both ways (3.6), and a stream error is followed by
// <close/> (3.5). TLS is the WebSocket's (wss:), so a client <starttls/> never reaches the server (3.9).

import type { RawData, WebSocket } from 'ws';
import { NS } from '../../protocol/namespaces.js';
import { streamErrorXml, type StreamErrorCondition } from '../../protocol/stream-error.js';
import type { Element } from '../../xml/element.js';
import { parseDocument } from '../../xml/parse-document.js';
import { CLOSE_FRAME, classifyFrame, openFrame, refusalOpenAttributes } from '../websocket/framing.js';
import { standalone } from './relayed-elements.js';
import { isLoopback, type UpstreamTarget } from './route.js';
import { UpstreamStream } from './upstream-stream.js';

export interface WebSocketRelayOptions {
  upstream: UpstreamTarget;
  maxStanzaBytes: number;
  maxDepth: number;
}

/** How long to wait for the client's <close/> after ours before closing the WebSocket anyway. */
const CLOSE_WAIT_MS = 1000;

export class WebSocketUpstreamRelay {
  private stream: UpstreamStream | undefined;
  /** Sent the client an <open/>: a stream error may follow it (3.5 requires one first). */
  private opened = false;
  private closing = false;
  private to = '';

  constructor(
    private readonly ws: WebSocket,
    private readonly options: WebSocketRelayOptions,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.closing = true;
      this.stream?.close();
    });
  }

  /** The connection manager is stopping: system-shutdown, then close. */
  shutdown(): void {
    this.fail('system-shutdown');
    this.stream?.close();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) {
      if (!isBinary) this.ws.close(1000);
      return;
    }
    if (isBinary) return void this.ws.close(1003, 'XMPP over WebSocket uses text messages');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let el: Element;
    try {
      el = parseDocument(bytes, { maxStanzaBytes: this.options.maxStanzaBytes, maxDepth: this.options.maxDepth });
    } catch {
      return this.fail('not-well-formed');
    }
    switch (classifyFrame(el)) {
      case 'open':
        return this.onOpen(el);
      case 'misqualified-open':
        return this.fail('invalid-namespace');
      case 'close':
        // 3.6: answered at once; the server gets our </stream:stream>.
        this.stream?.close();
        this.send(CLOSE_FRAME);
        this.closing = true;
        return this.ws.close(1000);
      case 'element':
        if (!this.stream) return this.fail('not-authorized');
        if (el.getNS() === NS.TLS) return; // 3.9: no STARTTLS over WebSocket
        if (el.prefix === null && el.attrs.xmlns === undefined) el.attrs.xmlns = NS.CLIENT;
        return this.stream.send(el.toString());
    }
  }

  private onOpen(el: Element): void {
    const header = { to: el.attrs.to, from: el.attrs.from, lang: el.attrs['xml:lang'], version: el.attrs.version };
    if (this.stream) return this.stream.restart(header);
    if (!header.to) return this.fail('host-unknown');
    this.to = header.to;
    const target = this.options.upstream;
    this.stream = new UpstreamStream(
      target,
      {
        header: (attrs) => {
          this.opened = true;
          this.send(openFrame({ from: attrs.from ?? this.to, id: attrs.id ?? '', version: attrs.version ?? '1.0', 'xml:lang': attrs['xml:lang'] ?? 'en' }));
        },
        element: (child) => this.send(standalone(child)),
        streamError: (error) => {
          this.ensureOpened();
          this.send(standalone(error));
          this.sendClose();
        },
        end: () => this.sendClose(),
        failed: () => this.fail('remote-connection-failed'),
      },
      { verifyTls: !isLoopback(target.host), maxStanzaBytes: this.options.maxStanzaBytes, maxDepth: this.options.maxDepth },
    );
    this.stream.open({ to: header.to, from: header.from, lang: header.lang, version: header.version });
  }

  /** A stream error of our own (3.5): after an <open/>, followed by <close/>. */
  private fail(condition: StreamErrorCondition): void {
    if (this.closing) return;
    this.ensureOpened();
    this.send(streamErrorXml(condition));
    this.sendClose();
    this.stream?.destroy();
  }

  private ensureOpened(): void {
    if (this.opened) return;
    this.opened = true;
    this.send(openFrame(refusalOpenAttributes(this.to || 'localhost')));
  }

  private sendClose(): void {
    if (this.closing) return;
    this.closing = true;
    this.send(CLOSE_FRAME);
    setTimeout(() => this.ws.close(1000), CLOSE_WAIT_MS).unref();
  }

  private send(frame: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }
}
