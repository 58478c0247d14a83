// Starts the almanac server (test-server.ts) plus one more instance of the shared HTTP/HTTPS server
// (WebSocket, host-meta) on free loopback ports and the server's own stream context, with options a
// test chooses that the configuration does not reach (redirects, close timeout, sub-second pings,
// plugins). WebSocket and TCP clients still meet in the one router.

import type { FastifyInstance } from 'fastify';
import type { StreamContext } from '../../src/stream/stream-context.js';
import { loadTlsCredentials } from '../../src/transports/tls-credentials.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/transports/http-server.js';
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

/** The composition root may also expose its TLS credentials; until then they are read from the data dir. */
interface ExposedPieces {
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

/** The stream context the server's own transports use. */
export function streamContextFor(server: TestServer): StreamContext {
  return server.streamContext;
}
