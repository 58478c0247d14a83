// Starts `almanac connection-manager` in this process (startConnectionManager) on free loopback ports in
// front of an XMPP server at `upstream` (host:port), with test settings.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { startConnectionManager } from '../../src/transports/connection-manager.js';

export interface TestConnectionManager {
  config: Config;
  ports: Record<string, number>;
  /** http://127.0.0.1:<port>/http-bind */
  boshUrl: string;
  /** ws://127.0.0.1:<port>/xmpp-websocket */
  wsUrl: string;
  stop(): Promise<void>;
}

export async function startTestConnectionManager(upstream: string, overrides: (c: Config) => void = () => undefined): Promise<TestConnectionManager> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-cm-'));
  const config = defaultConfig(dir);
  config.dataDir = dir;
  config.httpPort = 0;
  config.httpsPort = 0;
  config.logLevel = 'silent';
  config.limits.boshSessionsPerAddress = 1000;
  config.connectionManager.upstream = upstream;
  overrides(config);
  const cm = await startConnectionManager(config);
  return {
    config,
    ports: cm.ports,
    boshUrl: `http://127.0.0.1:${cm.ports.http}/http-bind`,
    wsUrl: `ws://127.0.0.1:${cm.ports.http}/xmpp-websocket`,
    async stop() {
      await cm.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
