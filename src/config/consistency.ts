// Rules that involve more than one key, checked after every key is valid on its own:
// XEP-0124 section 7.1 ('polling' shorter than 'inactivity'), RFC 6120 section 13.12 (a queue and a
// pubsub payload must fit a whole stanza), RFC 7590 (a certificate needs its key), and the obvious
// one that two listeners cannot share a port.

import { accessSync, constants } from 'node:fs';
import { ConfigError } from './errors.js';
import type { Config } from './schema.js';

/** The rules below in words, for docs/CONFIGURATION.md. */
export const CONSISTENCY_RULES: readonly string[] = [
  '`postgres_url` is required when `storage` is `postgres`.',
  '`redis_url` is required when `workers` is more than 1 (the processes route to each other over Redis).',
  '`tls.cert_file` and `tls.key_file` are set together or not at all, and both files must be readable.',
  'No two of the five ports may be equal, except 0 (each 0 gets its own free port).',
  '`bosh.polling` must be less than `bosh.max_inactivity`.',
  '`limits.outbound_queue_bytes` must be at least `limits.max_stanza_bytes`.',
  '`pubsub.max_payload_bytes` must not exceed `limits.max_stanza_bytes`.',
  '`limits.max_unauthenticated_per_address` must not exceed `limits.max_connections_per_address`.',
];

/** `sources` maps a key to where its value came from (absent for defaults). */
export function checkConsistency(config: Config, sources: ReadonlyMap<string, string>): void {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(key, problem, sources.get(key));
  };

  if (config.storage === 'postgres' && config.postgresUrl === undefined) fail('postgres_url', 'required when storage is postgres');
  if (config.workers > 1 && config.redisUrl === undefined) fail('redis_url', 'required when workers is more than 1');

  if (config.tls.certFile !== undefined && config.tls.keyFile === undefined) fail('tls.key_file', 'required when tls.cert_file is set');
  if (config.tls.keyFile !== undefined && config.tls.certFile === undefined) fail('tls.cert_file', 'required when tls.key_file is set');
  for (const [key, path] of [['tls.cert_file', config.tls.certFile], ['tls.key_file', config.tls.keyFile]] as const) {
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (err) {
      fail(key, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }

  const ports: [string, number][] = [
    ['c2s_port', config.c2sPort],
    ['tls_port', config.tlsPort],
    ['http_port', config.httpPort],
    ['https_port', config.httpsPort],
    ['component_port', config.componentPort],
  ];
  for (let i = 0; i < ports.length; i++) {
    for (let j = 0; j < i; j++) {
      const [key, port] = ports[i]!;
      const [otherKey, otherPort] = ports[j]!;
      // Port 0 asks the system for a free port, so several zeros never clash.
      if (port !== 0 && port === otherPort) fail(key, `port ${port} is already used by ${otherKey}`);
    }
  }

  const { limits, bosh, pubsub } = config;
  if (bosh.polling >= bosh.maxInactivity) fail('bosh.polling', `must be less than bosh.max_inactivity (${bosh.maxInactivity})`);
  if (limits.outboundQueueBytes < limits.maxStanzaBytes) {
    fail('limits.outbound_queue_bytes', `must be at least limits.max_stanza_bytes (${limits.maxStanzaBytes})`);
  }
  if (pubsub.maxPayloadBytes > limits.maxStanzaBytes) {
    fail('pubsub.max_payload_bytes', `must not exceed limits.max_stanza_bytes (${limits.maxStanzaBytes})`);
  }
  if (limits.maxUnauthenticatedPerAddress > limits.maxConnectionsPerAddress) {
    fail('limits.max_unauthenticated_per_address', `must not exceed limits.max_connections_per_address (${limits.maxConnectionsPerAddress})`);
  }
}
