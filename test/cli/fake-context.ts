// A CliContext that records output and stands in for the server, storage and connection manager, so
// that commands are tested in-process without sockets or files.

import type { CliContext } from '../../src/cli/context.js';
import type { CliStorage, RunningService, RuntimeModules } from '../../src/cli/runtime-modules.js';
import type { Config } from '../../src/config/schema.js';
import { AccountExistsError, type AccountStore } from '../../src/storage/accounts.js';
import type { IssuedToken, TokenStore } from '../../src/storage/tokens.js';

export class MemoryAccounts implements AccountStore {
  readonly passwords = new Map<string, string>();
  async create(username: string, password: string) {
    if (this.passwords.has(username)) throw new AccountExistsError(username);
    this.passwords.set(username, password);
  }
  async setPassword(username: string, password: string) {
    if (!this.passwords.has(username)) return false;
    this.passwords.set(username, password);
    return true;
  }
  async remove(username: string) {
    return this.passwords.delete(username);
  }
  async exists(username: string) {
    return this.passwords.has(username);
  }
  async list() {
    return [...this.passwords.keys()];
  }
  async verifyPassword(username: string, password: string) {
    return this.passwords.get(username) === password;
  }
  async getScramCredentials() {
    return undefined;
  }
}

export class MemoryTokens implements TokenStore {
  readonly issued: (IssuedToken & { label?: string })[] = [];
  readonly revokedUsers: string[] = [];
  async issue(username: string, options?: { label?: string }) {
    const token = { token: `token-${this.issued.length + 1}`, id: String(this.issued.length + 1), username, label: options?.label };
    this.issued.push(token);
    return token;
  }
  async verify(token: string) {
    return this.issued.find((t) => t.token === token)?.username;
  }
  async revoke() {
    return false;
  }
  async revokeAll(username: string) {
    this.revokedUsers.push(username);
    return 0;
  }
}

export interface FakeContext extends CliContext {
  out: string[];
  err: string[];
  /** Configs the fake modules were started or opened with. */
  configs: Config[];
  accounts: MemoryAccounts;
  tokens: MemoryTokens;
  /** How many times storage was opened and closed. */
  storageOpened: number;
  storageClosed: number;
  stopped: number;
  /** Ends a running service as a signal would. */
  signal(name: string): void;
  /** Resolves with the first line written to stdout. */
  firstLine: Promise<string>;
}

export function fakeContext(options: {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  ports?: Record<string, number>;
  modules?: Partial<RuntimeModules>;
} = {}): FakeContext {
  let deliver: (name: string) => void = () => {};
  let firstLine: (line: string) => void = () => {};
  const signalled = new Promise<string>((resolve) => (deliver = resolve));
  const service = (config: Config): Promise<RunningService> => {
    context.configs.push(config);
    return Promise.resolve({
      ports: options.ports ?? { c2s: 5222 },
      stop: async () => {
        context.stopped++;
      },
    });
  };
  const storage = async (config: Config): Promise<CliStorage> => {
    context.configs.push(config);
    context.storageOpened++;
    return {
      accounts: context.accounts,
      tokens: context.tokens,
      close: async () => {
        context.storageClosed++;
      },
    };
  };
  const context: FakeContext = {
    env: options.env ?? {},
    cwd: '/srv/almanac',
    out: [],
    err: [],
    configs: [],
    accounts: new MemoryAccounts(),
    tokens: new MemoryTokens(),
    storageOpened: 0,
    storageClosed: 0,
    stopped: 0,
    stdout: (line) => {
      context.out.push(line);
      firstLine(line);
    },
    firstLine: new Promise((resolve) => (firstLine = resolve)),
    stderr: (line) => context.err.push(line),
    readStdinLine: async () => (options.stdin ?? '').split(/\r?\n/)[0]!,
    waitForShutdown: () => signalled,
    signal: (name) => deliver(name),
    modules: { startServer: service, openStorage: storage, startConnectionManager: service, ...options.modules },
  };
  return context;
}
