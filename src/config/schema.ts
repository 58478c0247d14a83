// The configuration schema (DESIGN.md sections 1, 6 and 8): one declarative table of keys from which
// the CLI flags, the ALMANAC_* environment variables, the TOML keys, validation and
// docs/CONFIGURATION.md are all derived. Limits follow RFC 6120 section 13.12 (stanza size floor),
// XEP-0124 sections 7 and 10 (BOSH wait/hold/inactivity/polling/maxpause), XEP-0198 (resumption),
// XEP-0060 (pubsub quotas) and XEP-0114 (component secret).

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type StorageKind = 'sqlite' | 'postgres';
export type NodeCreators = 'local' | 'admins' | 'anyone';

/** The effective configuration. Paths are absolute; optional values are undefined when not set. */
export interface Config {
  domain: string;
  dataDir: string;
  listen: string;
  c2sPort: number;
  tlsPort: number;
  httpPort: number;
  httpsPort: number;
  componentPort: number;
  storage: StorageKind;
  postgresUrl: string | undefined;
  redisUrl: string | undefined;
  requireTls: boolean;
  demo: boolean;
  workers: number;
  logLevel: LogLevel;
  admins: string[];
  tls: { certFile: string | undefined; keyFile: string | undefined };
  limits: {
    maxStanzaBytes: number;
    maxXmlDepth: number;
    authTimeoutSeconds: number;
    maxConnectionsPerAddress: number;
    maxUnauthenticatedPerAddress: number;
    saslFailuresPerMinute: number;
    bytesPerSecond: number;
    stanzasPerSecond: number;
    outboundQueueBytes: number;
    restBodyBytes: number;
    restRequestsPerMinute: number;
    boshSessionsPerAddress: number;
  };
  bosh: {
    maxWait: number;
    maxHold: number;
    maxInactivity: number;
    polling: number;
    maxPause: number;
    corsOrigins: string[];
  };
  websocket: { pingInterval: number };
  sm: { resumeTimeout: number; maxQueue: number };
  pubsub: { maxItems: number; maxNodesPerUser: number; maxPayloadBytes: number; nodeCreators: NodeCreators };
  feed: { heartbeatMinutes: number };
  calendar: { changeLogDays: number };
  component: { secret: string | undefined };
  connectionManager: { upstream: string | undefined; routeAllow: string[] };
}

/** Shapes a text value must have; each is checked by coerce.ts and described in the docs. */
export type TextFormat =
  | 'domain' // a DNS domain name (the XMPP domainpart)
  | 'address' // an IP address or host name to listen on
  | 'postgres-url'
  | 'redis-url'
  | 'text' // any non-empty text
  | 'origin' // `*` or scheme://host[:port]
  | 'bare-jid' // local@domain
  | 'host-port'; // host:port, IPv6 hosts in brackets

interface KeyBase {
  /** The TOML key, snake_case; a dot separates a group (TOML table) from the key inside it. */
  key: string;
  description: string;
  /** Extra flag names (without `--`) accepted besides the derived one. */
  flagAliases?: readonly string[];
  /** Never echo the value in error messages (it may hold a password). */
  secret?: boolean;
}

export type KeySpec =
  | (KeyBase & { type: 'integer'; default: number; min: number; max: number; unit?: string })
  | (KeyBase & { type: 'boolean'; default: boolean })
  | (KeyBase & { type: 'enum'; default: string; values: readonly string[] })
  | (KeyBase & { type: 'text'; format: TextFormat; default?: string })
  | (KeyBase & { type: 'path'; default?: string })
  | (KeyBase & { type: 'list'; format: TextFormat; default: readonly string[] });

const MiB = 1024 * 1024;
const DAY = 86400;

export const CONFIG_KEYS: readonly KeySpec[] = [
  { key: 'domain', type: 'text', format: 'domain', default: 'localhost', description: 'The XMPP domain served: accounts are user@domain, the pubsub service is pubsub.domain.' },
  { key: 'data_dir', type: 'path', default: './data', description: 'Directory for the SQLite database, the self-signed certificate and other local state.' },
  { key: 'listen', type: 'text', format: 'address', default: '127.0.0.1', description: 'Address every listener binds to (use 0.0.0.0 or :: to accept remote connections).' },
  { key: 'c2s_port', type: 'integer', default: 5222, min: 0, max: 65535, description: 'XMPP client streams over TCP with STARTTLS (RFC 6120); 0 picks a free port.' },
  { key: 'tls_port', type: 'integer', default: 5223, min: 0, max: 65535, description: 'XMPP client streams over direct TLS (XEP-0368); 0 picks a free port.' },
  { key: 'http_port', type: 'integer', default: 5280, min: 0, max: 65535, description: 'HTTP: BOSH, WebSocket, REST API, host-meta, metrics and the web app; 0 picks a free port.' },
  { key: 'https_port', type: 'integer', default: 5281, min: 0, max: 65535, description: 'The same as http_port over HTTPS; 0 picks a free port.' },
  { key: 'component_port', type: 'integer', default: 5275, min: 0, max: 65535, description: 'External components (XEP-0114); 0 picks a free port. Only opened when component.secret is set.' },
  { key: 'storage', type: 'enum', default: 'sqlite', values: ['sqlite', 'postgres'], description: 'Where data lives: the embedded SQLite file in data_dir, or PostgreSQL at postgres_url.' },
  { key: 'postgres_url', type: 'text', format: 'postgres-url', secret: true, description: 'PostgreSQL connection URL (postgres://user:pass@host/db); required when storage is postgres.' },
  { key: 'redis_url', type: 'text', format: 'redis-url', secret: true, description: 'Redis URL (redis:// or rediss://); when set, processes sharing it form one cluster.' },
  { key: 'require_tls', type: 'boolean', default: true, description: 'Require TLS before authentication; --no-require-tls allows SASL PLAIN on unencrypted loopback streams (tests, benchmarks).' },
  { key: 'demo', type: 'boolean', default: false, description: 'Seed demonstration accounts and calendars so the web app can be tried at once.' },
  { key: 'workers', type: 'integer', default: 1, min: 1, max: 64, description: 'Processes to run behind the same ports (node:cluster), e.g. one per core; more than 1 needs redis_url.' },
  { key: 'log_level', type: 'enum', default: 'info', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], description: 'Least severe log level written (pino levels).' },
  { key: 'admins', type: 'list', format: 'bare-jid', default: [], description: 'Bare JIDs of the server administrators.' },

  { key: 'tls.cert_file', type: 'path', description: 'PEM certificate (chain) for STARTTLS, direct TLS and HTTPS; when unset a self-signed one is created in data_dir.' },
  { key: 'tls.key_file', type: 'path', secret: true, description: 'PEM private key matching tls.cert_file; required together with it.' },

  { key: 'limits.max_stanza_bytes', type: 'integer', default: 256 * 1024, min: 10000, max: 64 * MiB, unit: 'bytes', description: 'Largest stanza accepted; RFC 6120 section 13.12 forbids a limit below 10000 bytes.' },
  { key: 'limits.max_xml_depth', type: 'integer', default: 64, min: 16, max: 1024, description: 'Deepest element nesting accepted inside a stanza.' },
  { key: 'limits.auth_timeout_seconds', type: 'integer', default: 30, min: 1, max: 3600, unit: 'seconds', description: 'Time a new stream has to authenticate before it is closed.' },
  { key: 'limits.max_connections_per_address', type: 'integer', default: 100, min: 1, max: 1_000_000, description: 'Open connections allowed from one IP address.' },
  { key: 'limits.max_unauthenticated_per_address', type: 'integer', default: 20, min: 1, max: 1_000_000, description: 'Connections not yet authenticated allowed from one IP address.' },
  { key: 'limits.sasl_failures_per_minute', type: 'integer', default: 5, min: 1, max: 10_000, description: 'Failed authentications allowed per IP address per minute before further attempts are refused.' },
  { key: 'limits.bytes_per_second', type: 'integer', default: MiB, min: 1024, max: 1024 * MiB, unit: 'bytes', description: 'Incoming bytes read per connection per second; reading pauses above it.' },
  { key: 'limits.stanzas_per_second', type: 'integer', default: 1000, min: 1, max: 1_000_000, description: 'Incoming stanzas handled per connection per second; reading pauses above it.' },
  { key: 'limits.outbound_queue_bytes', type: 'integer', default: 4 * MiB, min: 64 * 1024, max: 1024 * MiB, unit: 'bytes', description: 'Unsent bytes queued for one slow connection before it is cut off with a stream error.' },
  { key: 'limits.rest_body_bytes', type: 'integer', default: MiB, min: 1024, max: 64 * MiB, unit: 'bytes', description: 'Largest REST API request body accepted.' },
  { key: 'limits.rest_requests_per_minute', type: 'integer', default: 600, min: 1, max: 1_000_000, description: 'REST API requests allowed per client per minute.' },
  { key: 'limits.bosh_sessions_per_address', type: 'integer', default: 20, min: 1, max: 100_000, description: 'BOSH sessions allowed from one IP address.' },

  { key: 'bosh.max_wait', type: 'integer', default: 60, min: 1, max: 3600, unit: 'seconds', description: "Longest time a BOSH request is held waiting for data (caps the client's 'wait', XEP-0124 section 7.1)." },
  { key: 'bosh.max_hold', type: 'integer', default: 1, min: 1, max: 16, description: "Most requests the server holds at once per BOSH session (caps the client's 'hold')." },
  { key: 'bosh.max_inactivity', type: 'integer', default: 60, min: 1, max: DAY, unit: 'seconds', description: "Longest time a BOSH session may have no request pending ('inactivity')." },
  { key: 'bosh.polling', type: 'integer', default: 2, min: 0, max: 3600, unit: 'seconds', description: "Shortest interval between empty polling requests ('polling'); must be below bosh.max_inactivity." },
  { key: 'bosh.max_pause', type: 'integer', default: 120, min: 0, max: DAY, unit: 'seconds', description: "Longest pause a client may request ('maxpause', XEP-0124 section 10); 0 disables pausing." },
  { key: 'bosh.cors_origins', type: 'list', format: 'origin', default: ['*'], description: 'Origins allowed to use BOSH and the REST API from a browser; * allows any.' },

  { key: 'websocket.ping_interval', type: 'integer', default: 30, min: 0, max: 3600, unit: 'seconds', description: 'Interval between WebSocket pings on idle connections; 0 disables them.' },

  { key: 'sm.resume_timeout', type: 'integer', default: 300, min: 0, max: DAY, unit: 'seconds', description: 'How long a broken stream can be resumed (XEP-0198); 0 disables resumption.' },
  { key: 'sm.max_queue', type: 'integer', default: 5000, min: 1, max: 1_000_000, unit: 'stanzas', description: 'Unacknowledged stanzas kept per stream; a stream exceeding it is closed.' },

  { key: 'pubsub.max_items', type: 'integer', default: 1000, min: 1, max: 1_000_000, description: 'Most items a node persists; the oldest are dropped beyond it.' },
  { key: 'pubsub.max_nodes_per_user', type: 'integer', default: 100, min: 0, max: 100_000, description: 'Most pubsub nodes one account may own.' },
  { key: 'pubsub.max_payload_bytes', type: 'integer', default: 64 * 1024, min: 1024, max: 64 * MiB, unit: 'bytes', description: 'Largest item payload accepted; must not exceed limits.max_stanza_bytes.' },
  { key: 'pubsub.node_creators', type: 'enum', default: 'local', values: ['local', 'admins', 'anyone'], description: 'Who may create nodes on pubsub.domain: local accounts, admins only, or anyone.' },

  { key: 'feed.heartbeat_minutes', type: 'integer', default: 5, min: 0, max: 1440, unit: 'minutes', description: 'Interval between items on the heartbeat node; 0 disables the heartbeat.' },

  { key: 'calendar.change_log_days', type: 'integer', default: 30, min: 0, max: 3650, unit: 'days', description: 'How long the calendar change log (what ?sync_token= lists read, deletions included) is kept; an older sync token is answered 410 Gone and the client lists in full. 0 keeps it for ever.' },

  { key: 'component.secret', type: 'text', format: 'text', secret: true, description: 'Shared secret for external components (XEP-0114); components are refused while it is unset.' },

  { key: 'connection_manager.upstream', type: 'text', format: 'host-port', flagAliases: ['upstream'], description: 'XMPP server (host:port) that `almanac connection-manager` relays BOSH and WebSocket sessions to.' },
  { key: 'connection_manager.route_allow', type: 'list', format: 'host-port', default: [], description: "Other host:port values a client's 'route' attribute may name; empty allows only upstream." },
];

export function findKey(key: string): KeySpec | undefined {
  return CONFIG_KEYS.find((spec) => spec.key === key);
}
