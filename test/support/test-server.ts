// Starts a real almanac server in this process on free loopback ports, with a fresh data directory.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { startServer, type RunningServer } from '../../src/server.js';

export interface TestServer extends RunningServer {
  config: Config;
  addUser(username: string, password?: string): Promise<void>;
}

export async function startTestServer(overrides: (c: Config) => void = () => undefined): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'almanac-test-'));
  const config = defaultConfig(dataDir);
  config.dataDir = dataDir;
  config.c2sPort = 0;
  config.tlsPort = 0;
  config.httpPort = 0;
  config.httpsPort = 0;
  config.componentPort = 0;
  config.requireTls = false;
  config.logLevel = 'silent';
  // No heartbeat node unless a test asks for one: pubsub tests list the service's nodes.
  config.feed.heartbeatMinutes = 0;
  overrides(config);
  const server = await startServer(config);
  return {
    ...server,
    config,
    async addUser(username, password = 'secret') {
      await server.host.stores.accounts.create(username, password);
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
