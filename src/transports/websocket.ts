// RFC 7395 section 3.1 (the WebSocket handshake with the 'xmpp' subprotocol) and section 3.8 (pings
// instead of whitespace keepalives): the /xmpp-websocket endpoint shared by the HTTP and HTTPS
// servers. `ws` runs with noServer so the same port also serves BOSH, the REST API and the web app.

import type http from 'node:http';
import type net from 'node:net';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer } from 'ws';
import type { StreamContext } from '../stream/stream-context.js';
import { WebSocketStreamConnection, type AdmissionTicket, type WebSocketLimits } from './websocket/connection.js';

export { WebSocketStreamConnection, CLOSE_CODES, type AdmissionTicket, type WebSocketLimits } from './websocket/connection.js';
export { CLOSE_FRAME } from './websocket/framing.js';

export const WEBSOCKET_PATH = '/xmpp-websocket';
const SUBPROTOCOL = 'xmpp';

export interface WebSocketEndpointOptions {
  streamContext: StreamContext;
  limits: WebSocketLimits;
  /** Seconds between keepalive ticks (3.8); 0 disables pings. Fractions are allowed (tests). */
  pingIntervalSeconds: number;
  /** 3.6.1: redirect every new stream to this ws:/wss: URI with <close see-other-uri/>. */
  redirectTo?: string;
  /** How long to wait for the peer's <close/> after ours. Default 2000 ms. */
  closeTimeoutMs?: number;
  /** Browser origins allowed to connect; '*' allows any. Requests without Origin are not browsers. */
  allowOrigin(origin: string): boolean;
  /** Per-address admission control (the ConnectionLimiter shared with TCP); no ticket refuses with 429. */
  limiter?: { admit(address: string): AdmissionTicket | undefined };
}

export class WebSocketEndpoint {
  readonly connections = new Set<WebSocketStreamConnection>();
  private readonly wss: WebSocketServer;
  private readonly pingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WebSocketEndpointOptions) {
    const redirect = options.redirectTo;
    if (redirect !== undefined && !/^wss?:\/\//i.test(redirect)) {
      throw new Error(`websocket redirect must be a ws: or wss: URI, got ${redirect}`);
    }
    this.wss = new WebSocketServer({
      noServer: true,
      // A frame larger than a stanza may be is refused by ws itself with close code 1009.
      maxPayload: options.limits.maxStanzaBytes,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: () => SUBPROTOCOL,
    });
    if (options.pingIntervalSeconds > 0) {
      this.pingTimer = setInterval(() => {
        for (const conn of this.connections) conn.keepalive();
      }, options.pingIntervalSeconds * 1000);
      this.pingTimer.unref();
    }
  }

  /** Serves WebSocket upgrades arriving on `server`; `secure` for the HTTPS server (wss:). */
  attach(server: http.Server, secure: boolean): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.upgrade(req, socket, head, secure));
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer, secure: boolean): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== WEBSOCKET_PATH) return refuse(socket, 404, 'No WebSocket endpoint here');
    // 3.1: a client that does not ask for the 'xmpp' subprotocol is not speaking RFC 7395.
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SUBPROTOCOL)) {
      return refuse(socket, 400, "The 'xmpp' WebSocket subprotocol (RFC 7395) is required");
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.options.allowOrigin(origin)) return refuse(socket, 403, 'Origin not allowed');
    let ticket: AdmissionTicket | undefined;
    if (this.options.limiter) {
      ticket = this.options.limiter.admit(socket.remoteAddress ?? 'unknown');
      if (!ticket) return refuse(socket, 429, 'Too many connections from your address');
    }
    // ws answers a malformed handshake itself and never calls back: give the place back then.
    let accepted = false;
    socket.once('close', () => {
      if (!accepted) ticket?.release();
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      // 3.6.1: never redirect an encrypted stream to an unencrypted endpoint.
      const redirect = this.options.redirectTo;
      const redirectTo = redirect !== undefined && (!secure || /^wss:/i.test(redirect)) ? redirect : undefined;
      const conn = new WebSocketStreamConnection(ws, socket, this.options.streamContext, {
        secure,
        limits: this.options.limits,
        redirectTo,
        closeTimeoutMs: this.options.closeTimeoutMs ?? 2000,
        ticket,
      });
      this.connections.add(conn);
      ws.once('close', () => this.connections.delete(conn));
    });
  }

  /** Ends every stream with system-shutdown, then drops what is left. */
  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const conn of this.connections) conn.engine.fail('system-shutdown');
    if (this.connections.size > 0) await new Promise((r) => setTimeout(r, 50));
    for (const conn of this.connections) conn.destroy();
    this.connections.clear();
    this.wss.close();
  }
}

/** Answers an upgrade request with a plain HTTP error instead of switching protocols. */
function refuse(socket: net.Socket, status: number, reason: string): void {
  if (!socket.writable) return void socket.destroy();
  const response =
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`;
  socket.end(response, () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
}
