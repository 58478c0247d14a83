// `almanac serve` and `almanac connection-manager` (DESIGN.md section 6): load the configuration, start
// the service, print one line starting with `ready` that names the bound ports (so that a port of 0
// becomes known), and on SIGINT/SIGTERM stop it and exit 0.

import cluster from 'node:cluster';
import { ConfigError } from '../config/errors.js';
import { reportReadyToPrimary, startWorkers } from './workers.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { CliContext } from './context.js';
import { EXIT_OK } from './exit-codes.js';
import type { RunningService } from './runtime-modules.js';

// The order of DESIGN.md section 1; any other port a service reports follows these.
const PORT_ORDER = ['c2s', 'tls', 'http', 'https', 'component'];

/** `ready c2s=5222 tls=5223 http=5280 https=5281 component=5275`, listing only the ports that are open. */
export function readyLine(ports: Record<string, number>): string {
  const names = [...PORT_ORDER.filter((name) => name in ports), ...Object.keys(ports).filter((name) => !PORT_ORDER.includes(name))];
  return ['ready', ...names.map((name) => `${name}=${ports[name]}`)].join(' ');
}

export async function serveCommand(argv: string[], context: CliContext): Promise<number> {
  const config = loadConfig({ argv, env: context.env, cwd: context.cwd });
  if (config.workers > 1 && cluster.isPrimary) return runService(() => startWorkers(config.workers), context);
  return runService(() => context.modules.startServer(config), context);
}

export async function connectionManagerCommand(argv: string[], context: CliContext): Promise<number> {
  const config: Config = loadConfig({ argv, env: context.env, cwd: context.cwd });
  if (config.connectionManager.upstream === undefined) {
    throw new ConfigError('connection_manager.upstream', 'required by connection-manager (--upstream HOST:PORT)');
  }
  return runService(() => context.modules.startConnectionManager(config), context);
}

async function runService(start: () => Promise<RunningService>, context: CliContext): Promise<number> {
  let signal: string | undefined;
  const shutdown = context.waitForShutdown().then((name) => (signal = name));
  const service = await start();
  if (!reportReadyToPrimary(service.ports)) context.stdout(readyLine(service.ports));
  await shutdown;
  context.stderr(`stopping (${signal})`);
  await service.stop();
  return EXIT_OK;
}
