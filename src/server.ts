// The composition root: opens storage, builds the host and its modules, and starts the listeners of
// DESIGN.md section 1. Everything else receives what it needs from here.

import type { Config } from './config/schema.js';
import { tryParseJid, normalizeResourcepart } from './jid/index.js';
import { Host } from './core/host.js';
import { openStorage } from './storage/open.js';
import { scramHasher } from './stream/password-credentials.js';
import { AuthThrottle } from './stream/auth-throttle.js';
import { StreamManagementRegistry } from './stream/stream-management.js';
import type { StreamContext } from './stream/stream-context.js';
import { loadTlsCredentials } from './transports/tls-credentials.js';
import { listenC2s, type TcpStreamConnection } from './transports/tcp.js';
import { RosterService } from './modules/roster/roster-service.js';
import { rosterModule } from './modules/roster/index.js';
import { presenceModule } from './modules/presence/index.js';
import { offlineModule } from './modules/offline/index.js';
import { discoModule } from './modules/disco/index.js';
import { pingModule } from './modules/ping/index.js';
import { versionModule } from './modules/version/index.js';
import { timeModule } from './modules/time/index.js';
import { carbonsModule } from './modules/carbons/index.js';
import { blockingModule } from './modules/blocking/index.js';
import { pubsubModule } from './modules/pubsub/index.js';
import { pepModule } from './modules/pep/index.js';
import type { AddressInfo } from 'node:net';
import { listenComponents } from './transports/component.js';
import { ConnectionLimiter } from './transports/connection-limiter.js';
import { createHttpServer } from './transports/http-server.js';
import { registerMetrics } from './transports/metrics.js';
import { boshSessionLimits, registerLocalBosh } from './transports/bosh/local-endpoint.js';
import { capsFeature } from './modules/disco/entity-caps.js';
import { configureLogging, log } from './core/log.js';
import type { TokenStore } from './storage/tokens.js';
import { registerCalendarApi } from './calendar/rest/plugin.js';
import { FeedPublisher } from './calendar/feed/feed-publisher.js';
import { HEARTBEAT_NODE, startHeartbeat } from './calendar/feed/heartbeat.js';
import { seedDemo, demoInstructions } from './calendar/demo-seed.js';
import { serverFeedNodes } from './modules/pubsub/feed-nodes.js';
import { startCluster, clusterTuningFromEnvironment } from './cluster/cluster-node.js'; // [cluster]
import { keepPubsubCoherent } from './cluster/pubsub-coherence.js'; // [cluster]
import { forwardBoshRequests, advertisedHttpUrl } from './cluster/bosh-forwarding.js'; // [cluster]

export const VERSION = '0.1.0';

export interface RunningServer {
  ports: Record<string, number>;
  host: Host;
  /** What every transport's stream engine shares (tests build extra transports on it). */
  streamContext: StreamContext;
  /** The certificate and key every TLS listener uses. */
  tls: { cert: Buffer; key: Buffer };
  stop(): Promise<void>;
}

export function normalizeJid(s: string): string | undefined {
  return tryParseJid(s)?.toString();
}

function prepareResource(r: string): string | undefined {
  try {
    return normalizeResourcepart(r);
  } catch {
    return undefined;
  }
}

/**
 * A user of the calendar API gets a token first: that is when their feed node is created, so a client
 * can subscribe before the first change (XMPP-only accounts never get one).
 */
function tokensCreatingFeeds(tokens: TokenStore, feed: FeedPublisher): TokenStore {
  return {
    issue: async (username, options) => {
      const issued = await tokens.issue(username, options);
      await feed.ensureFeed(username).catch((err) => log.warn({ err, user: username }, 'feed node not created'));
      return issued;
    },
    verify: (token) => tokens.verify(token),
    revoke: (token) => tokens.revoke(token),
    revokeAll: (username) => tokens.revokeAll(username),
  };
}

/**
 * TLS is required before authentication unless configured otherwise — and in the demo on a loopback
 * address, where traffic never leaves the machine, so the web app works over plain http://localhost.
 */
function requireTls(config: Config): boolean {
  const loopback = /^(127\.|::1$|localhost$)/.test(config.listen);
  if (config.demo && loopback && config.requireTls) {
    log.warn('demo on a loopback address: clear-text SASL (PLAIN, OAUTHBEARER) allowed without TLS');
    return false;
  }
  return config.requireTls;
}

export async function startServer(config: Config): Promise<RunningServer> {
  configureLogging(config.logLevel);
  const storage = await openStorage(config, scramHasher);
  const host = new Host(config.domain, storage, normalizeJid);

  const roster = new RosterService(host);
  discoModule(host);
  rosterModule(host, roster);
  presenceModule(host, roster);
  offlineModule(host, { quota: 1000 });
  pingModule(host, { idleMs: 300_000, timeoutMs: 60_000 });
  versionModule(host, VERSION);
  timeModule(host);
  carbonsModule(host); // XEP-0280 message carbons
  blockingModule(host); // XEP-0191 blocking command
  // Publish-subscribe (XEP-0060) at pubsub.<domain> and PEP (XEP-0163) on every account, on one store.
  const pubsubStore = storage.pubsub;
  const pubsub = pubsubModule(host, { store: pubsubStore, ...config.pubsub, admins: config.admins });
  const pep = pepModule(host, { store: pubsubStore, ...config.pubsub });

  // [cluster] With --redis-url, this process joins the others sharing that Redis (src/cluster/, docs/CLUSTER.md).
  const streamManagement = new StreamManagementRegistry({
    resumeTimeoutMs: config.sm.resumeTimeout * 1000,
    maxQueue: config.sm.maxQueue,
  });
  const cluster = config.redisUrl
    ? await startCluster(host, { redisUrl: config.redisUrl, streamManagement, ...clusterTuningFromEnvironment() })
    : undefined;
  if (cluster) keepPubsubCoherent(cluster.bus, pubsub.engine, pep); // [cluster] pubsub and PEP node caches dropped on changes made elsewhere

  // XEP-0115 6.3: the server's caps, computed once every module has added its features.
  host.addStreamFeature(capsFeature(host.disco.identities, host.disco.features));

  const background = new Set<Promise<unknown>>();
  const streamContext: StreamContext = {
    domain: config.domain,
    policy: {
      requireTls: requireTls(config),
      authTimeoutMs: config.limits.authTimeoutSeconds * 1000,
      maxSaslAttempts: 5,
    },
    router: host.router,
    sessions: host.sessions,
    bus: host.bus,
    credentials: {
      getScramCredentials: (u, h) => storage.accounts.getScramCredentials(u, h),
      verifyPassword: (u, p) => storage.accounts.verifyPassword(u, p),
      verifyToken: (t) => storage.tokens.verify(t),
    },
    authThrottle: new AuthThrottle(config.limits.saslFailuresPerMinute),
    prepareResource,
    boundFeatures: host.streamFeatures,
    nonzaHandlers: new Map(),
    background,
    streamManagement,
  };

  const tls = loadTlsCredentials({
    certFile: config.tls.certFile,
    keyFile: config.tls.keyFile,
    dataDir: config.dataDir,
    domain: config.domain,
  });
  const connections = new Set<TcpStreamConnection>();
  // Per-stream limits, the same on TCP and WebSocket.
  const streamLimits = {
    maxStanzaBytes: config.limits.maxStanzaBytes,
    maxDepth: config.limits.maxXmlDepth,
    outboundQueueBytes: config.limits.outboundQueueBytes,
    bytesPerSecond: config.limits.bytesPerSecond,
    stanzasPerSecond: config.limits.stanzasPerSecond,
  };
  const limiter = new ConnectionLimiter(config.limits.maxConnectionsPerAddress, config.limits.maxUnauthenticatedPerAddress);
  const c2s = await listenC2s({
    host: config.listen,
    port: config.c2sPort,
    tlsPort: config.tlsPort,
    ctx: streamContext,
    limits: streamLimits,
    limiter,
    tlsContext: tls.context,
    cert: tls.cert,
    key: tls.key,
    connections,
  });

  const ports: Record<string, number> = {
    c2s: (c2s.plain.address() as AddressInfo).port,
  };
  if (c2s.direct) ports.tls = (c2s.direct.address() as AddressInfo).port;

  // XEP-0114 components, only when a shared secret is configured, and only on the listen address.
  const components = config.component.secret
    ? await listenComponents({
        host: config.listen,
        port: config.componentPort,
        secret: config.component.secret,
        router: host.router,
        maxStanzaBytes: config.limits.maxStanzaBytes,
        maxDepth: config.limits.maxXmlDepth,
        normalizeJid,
      })
    : undefined;
  if (components) ports.component = (components.address() as AddressInfo).port;

  // One HTTP(S) server for BOSH, WebSocket, host-meta, the REST API and the web app (section 1).
  const http = createHttpServer({
    host: config.listen,
    httpPort: config.httpPort,
    httpsPort: config.httpsPort,
    tls: { cert: tls.cert, key: tls.key },
    streamContext,
    limits: streamLimits,
    limiter,
    websocket: { pingIntervalSeconds: config.websocket.pingInterval },
    domain: config.domain,
    corsOrigins: config.bosh.corsOrigins,
    fastify: { bodyLimit: config.limits.restBodyBytes },
  });
  // BOSH (XEP-0124/0206) at /http-bind: one stream engine per session (src/transports/bosh/local-endpoint.ts).
  const bosh = registerLocalBosh(http.fastify, {
    streamContext,
    corsOrigin: (origin) => http.corsOrigin(origin),
    maxStanzaBytes: config.limits.maxStanzaBytes,
    maxDepth: config.limits.maxXmlDepth,
    sessions: boshSessionLimits(config),
  });
  // [cluster] A BOSH request for a session held by another process is proxied there (no sticky balancer needed).
  if (cluster) forwardBoshRequests(http.fastify, cluster.bus, bosh.manager, { selfUrl: () => ports.http === undefined ? undefined : advertisedHttpUrl(config.listen, ports.http) });
  registerMetrics(http.fastify, {
    sessions: host.sessions,
    resumable: () => streamContext.streamManagement?.size ?? 0,
  });
  // The calendar service: REST API at /api/v2 whose committed writes feed pubsub (DESIGN.md section 3).
  const calendarStore = storage.calendar;
  const feedNodes = serverFeedNodes(pubsub, config.domain);
  const feed = new FeedPublisher(feedNodes, config.domain);
  await registerCalendarApi(http.fastify, {
    store: calendarStore,
    accounts: storage.accounts,
    tokens: tokensCreatingFeeds(storage.tokens, feed),
    feed,
    corsOrigin: (origin) => http.corsOrigin(origin),
    requestsPerMinute: config.limits.restRequestsPerMinute,
    changeLogDays: config.calendar.changeLogDays, // change log retention (src/calendar/change-log-pruner.ts)
    realtime: {
      domain: config.domain,
      pubsubService: pubsub.jid,
      heartbeatNode: config.feed.heartbeatMinutes > 0 ? HEARTBEAT_NODE : undefined,
      heartbeatMinutes: config.feed.heartbeatMinutes,
      ensureFeed: (username) => feed.ensureFeed(username),
    },
  });
  const stopHeartbeat = startHeartbeat(feedNodes, config.feed.heartbeatMinutes);

  await (await import('./transports/web-app.js')).registerWebApp(http.fastify); // [web] the web app at /, /app, /sdk, /vendor (src/transports/web-app.ts)
  const httpPorts = await http.listen();
  ports.http = httpPorts.http;
  if (httpPorts.https !== undefined) ports.https = httpPorts.https;
  log.info({ ports, domain: config.domain }, 'almanac started');
  if (config.demo) {
    const seeded = await seedDemo({ accounts: storage.accounts, calendars: calendarStore, feed });
    for (const line of demoInstructions(`http://${config.listen}:${ports.http}/`)) process.stderr.write(line + '\n');
    void seeded;
  }

  return {
    ports,
    host,
    streamContext,
    tls: { cert: tls.cert, key: tls.key },
    async stop() {
      host.stopTimers();
      stopHeartbeat();
      c2s.plain.close();
      c2s.direct?.close();
      components?.close();
      await bosh.shutdown(); // system-shutdown to every BOSH session before the listeners close
      await http.close();
      // Answer what was already read (at most 2 s), then end every stream with system-shutdown.
      await Promise.race([Promise.allSettled([...connections].map((c) => c.drain())), new Promise((r) => setTimeout(r, 2000))]);
      for (const conn of connections) conn.engine.fail('system-shutdown');
      await new Promise((r) => setTimeout(r, 50));
      for (const conn of connections) conn.destroy();
      // Session clean-up (unavailable presence, offline hand-back) still needs storage: wait for it.
      await Promise.race([Promise.allSettled([...background]), new Promise((r) => setTimeout(r, 3000))]);
      await cluster?.stop(); // [cluster] after the sessions ended, so their unavailable presence reached the others
      await storage.close();
    },
  };
}
