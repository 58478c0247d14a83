// The schema table is the single source of names (DESIGN.md section 6): it must cover every field of
// Config exactly once, its defaults must pass its own bounds, and names derived from it must not collide.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/config/load.js';
import { configPath, envName, flagNames } from '../../src/config/names.js';
import { CONFIG_KEYS, type Config } from '../../src/config/schema.js';

type Complete<T> = { [K in keyof T]-?: Exclude<T[K], undefined> extends infer V ? (V extends unknown[] ? V : V extends object ? Complete<V> : V) : never };

// Every field of Config, optional ones included: the compiler rejects this literal if a field is missing
// or unknown, so the list below tracks the interface.
const EVERY_FIELD: Complete<Config> = {
  domain: '', dataDir: '', listen: '', c2sPort: 0, tlsPort: 0, httpPort: 0, httpsPort: 0, componentPort: 0,
  storage: 'sqlite', postgresUrl: '', redisUrl: '', requireTls: true, demo: false, workers: 1, logLevel: 'info', admins: [],
  tls: { certFile: '', keyFile: '' },
  limits: {
    maxStanzaBytes: 0, maxXmlDepth: 0, authTimeoutSeconds: 0, maxConnectionsPerAddress: 0, maxUnauthenticatedPerAddress: 0,
    saslFailuresPerMinute: 0, bytesPerSecond: 0, stanzasPerSecond: 0, outboundQueueBytes: 0, restBodyBytes: 0,
    restRequestsPerMinute: 0, boshSessionsPerAddress: 0,
  },
  bosh: { maxWait: 0, maxHold: 0, maxInactivity: 0, polling: 0, maxPause: 0, corsOrigins: [] },
  websocket: { pingInterval: 0 },
  sm: { resumeTimeout: 0, maxQueue: 0 },
  pubsub: { maxItems: 0, maxNodesPerUser: 0, maxPayloadBytes: 0, nodeCreators: 'local' },
  feed: { heartbeatMinutes: 0 },
  calendar: { changeLogDays: 0 },
  component: { secret: '' },
  connectionManager: { upstream: '', routeAllow: [] },
};

function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null && !Array.isArray(child) ? leafPaths(child, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('configuration schema', () => {
  it('the table has exactly one key per Config field', () => {
    const fromTable = CONFIG_KEYS.map((spec) => configPath(spec).join('.')).sort();
    assert.deepEqual(fromTable, leafPaths(EVERY_FIELD).sort());
  });

  it('the loaded defaults fill every field that has a default', () => {
    const loaded = leafPaths(defaultConfig('/srv'));
    for (const spec of CONFIG_KEYS) assert.ok(loaded.includes(configPath(spec).join('.')), spec.key);
  });

  it('every integer default lies within its own bounds', () => {
    for (const spec of CONFIG_KEYS) {
      if (spec.type !== 'integer') continue;
      assert.ok(spec.min <= spec.default && spec.default <= spec.max, `${spec.key}: ${spec.default} not in ${spec.min}..${spec.max}`);
    }
  });

  it('every enum default is one of its values', () => {
    for (const spec of CONFIG_KEYS) if (spec.type === 'enum') assert.ok(spec.values.includes(spec.default), spec.key);
  });

  it('no two keys share a flag or an environment variable', () => {
    const flags = CONFIG_KEYS.flatMap(flagNames);
    assert.equal(new Set(flags).size, flags.length);
    const envs = CONFIG_KEYS.map(envName);
    assert.equal(new Set(envs).size, envs.length);
  });

  it('every key has a description ending in a full stop', () => {
    for (const spec of CONFIG_KEYS) assert.match(spec.description, /\.$/, spec.key);
  });

  it('the contract flags of DESIGN.md section 6 exist', () => {
    const flags = new Set(CONFIG_KEYS.flatMap(flagNames));
    for (const flag of ['domain', 'data-dir', 'listen', 'c2s-port', 'tls-port', 'http-port', 'https-port', 'component-port',
      'storage', 'postgres-url', 'redis-url', 'require-tls', 'demo', 'upstream']) {
      assert.ok(flags.has(flag), flag);
    }
  });
});
