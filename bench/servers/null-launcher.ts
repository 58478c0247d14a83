// Starts bench/servers/null-server.ts pinned like the other servers, so `--servers null` shows the
// load generator's ceiling in the same tables.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyPorts, stopChild } from './child-server.js';
import { BENCH_PASSWORD, BENCH_PREFIX, type ServerHandle, type ServerLauncher, type StartOptions } from './server-handle.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'null-server.js');

export const nullLauncher: ServerLauncher = {
  name: 'null',
  passwordStorage: 'none: every PLAIN login is accepted unchecked; TCP only (no BOSH or WebSocket)',
  version: () => 'bench/servers/null-server.ts',
  async start(options: StartOptions): Promise<ServerHandle> {
    const log = createWriteStream(join(options.stateDir, 'null-server.log'), { flags: 'a' });
    const command = options.cpus ? 'taskset' : process.execPath;
    const argv = options.cpus ? ['-c', options.cpus, process.execPath, SCRIPT] : [SCRIPT];
    const child = spawn('bash', ['-c', 'ulimit -n $(ulimit -Hn); exec "$0" "$@"', command, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.pipe(log);
    const ports = await readyPorts(child, log);
    return {
      pid: child.pid as number,
      target: {
        server: 'null',
        host: '127.0.0.1',
        port: ports.c2s,
        domain: 'localhost',
        pubsub: 'pubsub.localhost',
        userPrefix: BENCH_PREFIX,
        users: options.users,
        password: BENCH_PASSWORD,
      },
      stop: () => stopChild(child),
    };
  },
};
