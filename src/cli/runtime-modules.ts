// The parts of the program the CLI starts but does not own (DESIGN.md section 6): the server, the
// storage the user and token commands share with it, and the connection manager. They are imported
// lazily, by computed specifier, so that `almanac --help` stays fast and this folder compiles and runs
// its own tests before those files exist. Each is described here by the shape the CLI relies on.

import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.js';
import type { AccountStore } from '../storage/accounts.js';
import type { TokenStore } from '../storage/tokens.js';

/** What startServer and startConnectionManager resolve to. */
export interface RunningService {
  ports: Record<string, number>;
  stop(): Promise<void>;
}

export interface CliStorage {
  accounts: AccountStore;
  tokens: TokenStore;
  close(): Promise<void>;
}

export interface RuntimeModules {
  startServer(config: Config): Promise<RunningService>;
  openStorage(config: Config): Promise<CliStorage>;
  startConnectionManager(config: Config): Promise<RunningService>;
}

/** A part of the program this build does not contain (yet). */
export class MissingModuleError extends Error {
  constructor(readonly what: string) {
    super(`this build has no ${what}`);
    this.name = 'MissingModuleError';
  }
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Imports `specifier` (relative to this file) and returns its export `name`. */
async function importExport(specifier: string, name: string, what: string): Promise<unknown> {
  const url = new URL(specifier, import.meta.url);
  let module: Record<string, unknown>;
  try {
    module = (await import(url.href)) as Record<string, unknown>;
  } catch (err) {
    // Only the module itself being absent means "not built"; a missing import inside it is a real bug.
    const missing = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && (err as Error).message.includes(fileURLToPath(url));
    if (missing) throw new MissingModuleError(what);
    throw err;
  }
  if (module[name] === undefined) throw new MissingModuleError(`${what} (${specifier} does not export ${name})`);
  return module[name];
}

async function importFunction(specifier: string, name: string, what: string): Promise<AnyFunction> {
  const fn = await importExport(specifier, name, what);
  if (typeof fn !== 'function') throw new MissingModuleError(`${what} (${name} in ${specifier} is not a function)`);
  return fn as AnyFunction;
}

/** The real modules, loaded from this build. */
export const builtModules: RuntimeModules = {
  async startServer(config) {
    const start = await importFunction('../server.js', 'startServer', 'server (src/server.ts)');
    return (await start(config)) as RunningService;
  },
  async openStorage(config) {
    const open = await importFunction('../storage/open.js', 'openStorage', 'storage (src/storage/open.ts)');
    // The stores derive SCRAM keys through an injected hasher so that storage does not depend on SASL.
    const hasher = await importExport('../stream/password-credentials.js', 'scramHasher', 'password hasher (src/stream/password-credentials.ts)');
    return (await open(config, hasher)) as CliStorage;
  },
  async startConnectionManager(config) {
    const start = await importFunction(
      '../transports/connection-manager.js',
      'startConnectionManager',
      'connection manager (src/transports/connection-manager.ts)',
    );
    return (await start(config)) as RunningService;
  },
};
