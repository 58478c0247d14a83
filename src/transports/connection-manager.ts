// `almanac connection-manager` (DESIGN.md section 6): a standalone XEP-0124/XEP-0206 BOSH and RFC 7395
// WebSocket connection manager in front of any XMPP server, which it reaches over TCP as an ordinary client
// would (STARTTLS when offered). HTTP on http_port, and HTTPS on https_port when tls.cert_file is set; BOSH
// at /http-bind, WebSocket at /xmpp-websocket. The server's certificate is checked against the stream's
// domain unless the server is on loopback (XEP-0124 section 19.2: the same machine counts as secure).

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import { WebSocketServer } from 'ws';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { configureLogging, log } from '../core/log.js';
import { registerBoshHttp } from './bosh/http-adapter.js';
import { boshSessionLimits } from './bosh/local-endpoint.js';
import { upstreamBoshBackend } from './connection-manager/bosh-upstream.js';
import { parseHostPort, type UpstreamTarget } from './connection-manager/route.js';
import { WebSocketUpstreamRelay } from './connection-manager/websocket-relay.js';
import { allowedOrigin } from './http-server.js';

export const WEBSOCKET_PATH = '/xmpp-websocket';
/** Room for the <body/> wrapper around one stanza of the largest size allowed. */
const WRAPPER_ALLOWANCE = 8192;

export interface RunningConnectionManager {
  ports: Record<string, number>;
  stop(): Promise<void>;
}

export async function startConnectionManager(config: Config): Promise<RunningConnectionManager> {
  configureLogging(config.logLevel);
  const upstream = hostPort('connection_manager.upstream', config.connectionManager.upstream);
  const routeAllow = config.connectionManager.routeAllow.map((v) => hostPort('connection_manager.route_allow', v));
  const limits = { maxStanzaBytes: config.limits.maxStanzaBytes, maxDepth: config.limits.maxXmlDepth };
  const corsOrigin = (origin: string | undefined) => allowedOrigin(config.bosh.corsOrigins, origin);

  let handler: http.RequestListener | undefined;
  let plain: http.Server | undefined;
  const fastify = Fastify({
    serverFactory: (h) => {
      handler = h as http.RequestListener;
      plain = http.createServer(h);
      return plain;
    },
  });
  if (!plain || !handler) throw new Error('fastify did not create its server');
  const certFile = config.tls.certFile;
  const keyFile = config.tls.keyFile;
  const secure =
    certFile !== undefined && keyFile !== undefined
      ? https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, handler)
      : undefined;

  const bosh = registerBoshHttp(fastify, {
    backend: upstreamBoshBackend({ upstream, routeAllow, ...limits }),
    sessions: boshSessionLimits(config),
    corsOrigin,
    body: { maxBodyBytes: limits.maxStanzaBytes + WRAPPER_ALLOWANCE, maxDepth: limits.maxDepth },
  });

  const relays = new Set<WebSocketUpstreamRelay>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxStanzaBytes,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: () => 'xmpp',
  });
  const upgrade = (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if ((req.url ?? '').split('?', 1)[0] !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'No WebSocket endpoint here');
    // RFC 7395 section 3.1: the 'xmpp' subprotocol.
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes('xmpp')) return refuseUpgrade(socket, 400, "The 'xmpp' WebSocket subprotocol (RFC 7395) is required");
    const origin = req.headers.origin;
    if (origin !== undefined && corsOrigin(origin) === undefined) return refuseUpgrade(socket, 403, 'Origin not allowed');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const relay = new WebSocketUpstreamRelay(ws, { upstream, ...limits });
      relays.add(relay);
      ws.once('close', () => relays.delete(relay));
    });
  };
  plain.on('upgrade', upgrade);
  secure?.on('upgrade', upgrade);
  for (const s of [plain, secure]) if (s) s.keepAliveTimeout = 72_000;

  await fastify.ready();
  const ports: Record<string, number> = { http: await listenOn(plain, config.httpPort, config.listen) };
  if (secure) ports.https = await listenOn(secure, config.httpsPort, config.listen);
  log.info({ ports, upstream }, 'connection manager started');

  const servers = [plain, secure].filter((s): s is http.Server => s !== undefined);
  return {
    ports,
    async stop() {
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const relay of relays) relay.shutdown();
      await bosh.shutdown();
      if (relays.size > 0) await new Promise((r) => setTimeout(r, 50));
      await fastify.close();
      wss.close();
      for (const s of servers) s.closeAllConnections();
      await Promise.all(closed);
    },
  };
}

function hostPort(key: string, value: string | undefined): UpstreamTarget {
  const target = value === undefined ? undefined : parseHostPort(value);
  if (!target) throw new ConfigError(key, `must be host:port, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return target;
}

function listenOn(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Answers an upgrade request with a plain HTTP error instead of switching protocols. */
function refuseUpgrade(socket: net.Socket, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}
