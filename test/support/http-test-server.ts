// Starts the almanac server (test-server.ts) plus the shared HTTP/HTTPS server with WebSocket and
// host-meta on free loopback ports, both on the same host and stream context, so that a WebSocket
// client and a TCP client talk to each other through the one router.

import type { FastifyInstance } from 'fastify';
import { AuthThrottle } from '../../src/stream/auth-throttle.js';
import type { StreamContext } from '../../src/stream/stream-context.js';
import { loadTlsCredentials } from '../../src/transports/tls-credentials.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/transports/http-server.js';
import { normalizeResourcepart } from '../../src/jid/index.js';
import type { Config } from '../../src/config/schema.js';
import { startTestServer, type TestServer } from './test-server.js';

export interface HttpTestServer extends TestServer {
  web: HttpServer;
  /** ws://127.0.0.1:<port>/xmpp-websocket */
  wsUrl: string;
  /** wss://127.0.0.1:<port>/xmpp-websocket (self-signed certificate) */
  wssUrl: string;
  httpUrl: string;
  httpsUrl: string;
}

/** What the composition root is asked to expose on RunningServer (see the ws report). */
interface ExposedPieces {
  streamContext?: StreamContext;
  tls?: { cert: Buffer; key: Buffer };
}

export async function startHttpTestServer(
  opts: {
    config?: (c: Config) => void;
    http?: (o: HttpServerOptions) => void;
    plugins?: Array<(app: FastifyInstance) => void | Promise<void>>;
  } = {},
): Promise<HttpTestServer> {
  const server = await startTestServer(opts.config);
  const streamContext = streamContextFor(server);
  const tls = tlsFor(server);
  const options: HttpServerOptions = {
    host: '127.0.0.1',
    httpPort: 0,
    httpsPort: 0,
    tls: { cert: tls.cert, key: tls.key },
    streamContext,
    limits: {
      maxStanzaBytes: server.config.limits.maxStanzaBytes,
      maxDepth: server.config.limits.maxXmlDepth,
      outboundQueueBytes: server.config.limits.outboundQueueBytes,
    },
    websocket: { pingIntervalSeconds: server.config.websocket.pingInterval },
    domain: server.config.domain,
    corsOrigins: server.config.bosh.corsOrigins,
  };
  opts.http?.(options);
  let web: HttpServer;
  let ports: { http: number; https: number | undefined };
  try {
    web = createHttpServer(options);
    for (const plugin of opts.plugins ?? []) await web.fastify.register(async (app) => plugin(app));
    ports = await web.listen();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    ...server,
    web,
    wsUrl: `ws://127.0.0.1:${ports.http}/xmpp-websocket`,
    wssUrl: `wss://127.0.0.1:${ports.https}/xmpp-websocket`,
    httpUrl: `http://127.0.0.1:${ports.http}`,
    httpsUrl: `https://127.0.0.1:${ports.https}`,
    async stop() {
      await web.close();
      await server.stop();
    },
  };
}

/** The server's certificate: the one it exposes, else the self-signed one it made in its data dir. */
export function tlsFor(server: TestServer): { cert: Buffer; key: Buffer } {
  const exposed = (server as TestServer & ExposedPieces).tls;
  return exposed ?? loadTlsCredentials({ dataDir: server.config.dataDir, domain: server.config.domain });
}

/**
 * The server's stream context. Until src/server.ts exposes it, an equivalent one is built from the
 * running host with the same policy the composition root applies (tokens are not reachable here).
 */
export function streamContextFor(server: TestServer): StreamContext {
  const exposed = (server as TestServer & ExposedPieces).streamContext;
  if (exposed) return exposed;
  const { host, config } = server;
  return {
    domain: config.domain,
    policy: { requireTls: config.requireTls, authTimeoutMs: config.limits.authTimeoutSeconds * 1000, maxSaslAttempts: 5 },
    router: host.router,
    sessions: host.sessions,
    bus: host.bus,
    credentials: {
      getScramCredentials: (u, h) => host.stores.accounts.getScramCredentials(u, h),
      verifyPassword: (u, p) => host.stores.accounts.verifyPassword(u, p),
      verifyToken: async () => undefined,
    },
    authThrottle: new AuthThrottle(config.limits.saslFailuresPerMinute),
    prepareResource: (r) => {
      try {
        return normalizeResourcepart(r);
      } catch {
        return undefined;
      }
    },
    boundFeatures: host.streamFeatures,
    nonzaHandlers: new Map(),
  };
}
