// The one HTTP server of DESIGN.md section 1 (port 5280, and 5281 over HTTPS): a single fastify
// instance whose routes (BOSH, the REST API, XEP-0156 host-meta, metrics, the web app) answer on both
// the HTTP and the HTTPS listener, with RFC 7395 WebSocket upgrades at /xmpp-websocket on both.
// TLS per RFC 7590 (1.2 minimum), the same certificate as the XMPP ports.

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { StreamContext } from '../stream/stream-context.js';
import { WebSocketEndpoint, type AdmissionTicket } from './websocket.js';
import { registerHostMeta } from './host-meta.js';

export interface HttpServerOptions {
  /** Address both listeners bind to. */
  host: string;
  /** 0 picks a free port. */
  httpPort: number;
  /** The HTTPS listener exists when both httpsPort and tls are given; 0 picks a free port. */
  httpsPort?: number;
  tls?: { cert: Buffer | string; key: Buffer | string };
  streamContext: StreamContext;
  limits: { maxStanzaBytes: number; maxDepth: number; outboundQueueBytes?: number; bytesPerSecond?: number; stanzasPerSecond?: number };
  websocket: { pingIntervalSeconds: number; redirectTo?: string; closeTimeoutMs?: number };
  /** The XMPP domain; host-meta falls back to it when a request has no Host header. */
  domain: string;
  /** Origins allowed to read cross-origin (host-meta, BOSH, REST) and to open WebSockets; '*' = any. */
  corsOrigins: string[];
  /** Per-address admission for WebSocket streams (the ConnectionLimiter shared with TCP); over it -> 429. */
  limiter?: { admit(address: string): AdmissionTicket | undefined };
  /** Extra fastify options (logger, bodyLimit, trustProxy, ...). */
  fastify?: Omit<FastifyServerOptions, 'serverFactory'>;
}

export interface HttpServer {
  /** Register more routes and plugins here before listen() (REST API, BOSH, metrics, web app). */
  readonly fastify: FastifyInstance;
  readonly http: http.Server;
  readonly https: https.Server | undefined;
  readonly websocket: WebSocketEndpoint;
  /** Bound ports, filled in by listen(). */
  readonly ports: { http: number; https: number | undefined };
  /** The Access-Control-Allow-Origin value for a request Origin under the configured origins. */
  corsOrigin(origin: string | undefined): string | undefined;
  listen(): Promise<{ http: number; https: number | undefined }>;
  /** WebSocket streams end with system-shutdown, fastify onClose hooks run, both listeners close. */
  close(): Promise<void>;
}

/** The CORS rule shared by every route: '*' allows any origin, else the Origin must be listed. */
export function allowedOrigin(corsOrigins: readonly string[], origin: string | undefined): string | undefined {
  if (corsOrigins.includes('*')) return '*';
  if (origin === undefined) return undefined;
  return corsOrigins.includes(origin) ? origin : undefined;
}

/** Builds the server without listening, so that the composition root can register more plugins. */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  let httpServer: http.Server | undefined;
  let handler: http.RequestListener | undefined;
  const fastify = Fastify({
    ...opts.fastify,
    // One router for both listeners: the factory captures fastify's request handler.
    serverFactory: (h) => {
      handler = h as http.RequestListener;
      httpServer = http.createServer(h);
      return httpServer;
    },
  }) as unknown as FastifyInstance;
  if (!httpServer || !handler) throw new Error('fastify did not create its server');
  const plain: http.Server = httpServer;
  const secure =
    opts.httpsPort !== undefined && opts.tls
      ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, handler)
      : undefined;
  for (const s of [plain, secure]) if (s) s.keepAliveTimeout = 72_000;

  const corsOrigin = (origin: string | undefined) => allowedOrigin(opts.corsOrigins, origin);
  const websocket = new WebSocketEndpoint({
    streamContext: opts.streamContext,
    limits: {
      maxStanzaBytes: opts.limits.maxStanzaBytes,
      maxDepth: opts.limits.maxDepth,
      outboundQueueBytes: opts.limits.outboundQueueBytes ?? 4 * 1024 * 1024,
      bytesPerSecond: opts.limits.bytesPerSecond,
      stanzasPerSecond: opts.limits.stanzasPerSecond,
    },
    pingIntervalSeconds: opts.websocket.pingIntervalSeconds,
    redirectTo: opts.websocket.redirectTo,
    closeTimeoutMs: opts.websocket.closeTimeoutMs,
    allowOrigin: (origin) => corsOrigin(origin) !== undefined,
    limiter: opts.limiter,
  });
  websocket.attach(plain, false);
  if (secure) websocket.attach(secure as unknown as http.Server, true);

  registerHostMeta(fastify, { domain: opts.domain, corsOrigin });

  const ports: { http: number; https: number | undefined } = { http: 0, https: undefined };
  let listening = false;
  const activity = { active: 0, last: 0 };
  for (const s of [plain, secure]) {
    s?.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      activity.active++;
      activity.last = Date.now();
      res.once('close', () => {
        activity.active--;
        activity.last = Date.now();
      });
    });
  }
  return {
    fastify,
    http: plain,
    https: secure,
    websocket,
    ports,
    corsOrigin,
    async listen() {
      await fastify.ready();
      ports.http = await listenOn(plain, opts.httpPort, opts.host);
      if (secure) ports.https = await listenOn(secure, opts.httpsPort!, opts.host);
      listening = true;
      return { ...ports };
    },
    async close() {
      const closed = listening ? [closeServer(plain), ...(secure ? [closeServer(secure)] : [])] : [];
      // Listeners are closed; requests already on the wire of open connections are still answered
      // before fastify drops idle connections (a SIGTERM drains instead of resetting them).
      await quiet(activity, DRAIN_QUIET_MS, DRAIN_MAX_MS);
      await websocket.close();
      await fastify.close();
      plain.closeAllConnections();
      secure?.closeAllConnections();
      await Promise.all(closed);
    },
  };
}

/** createHttpServer, then each plugin registered in order, then listen. */
export async function startHttpServer(
  opts: HttpServerOptions & { plugins?: Array<(app: FastifyInstance) => void | Promise<void>> },
): Promise<HttpServer> {
  const server = createHttpServer(opts);
  for (const plugin of opts.plugins ?? []) await server.fastify.register(async (app) => plugin(app));
  await server.listen();
  return server;
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

const DRAIN_QUIET_MS = 100;
const DRAIN_MAX_MS = 2000;

/** Resolves once no request is in progress and none started for `quietMs`, or after `maxMs`. */
async function quiet(activity: { active: number; last: number }, quietMs: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until && (activity.active > 0 || Date.now() - activity.last < quietMs)) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
