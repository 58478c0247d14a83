// Runs `almanac serve` as a child process (the real CLI), for restart, kill -9 and shutdown tests.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/almanac.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  ports: Record<string, number>;
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export function almanac(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startServerProcess(dataDir: string, extra: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--data-dir', dataDir, '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0', '--no-require-tls', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALMANAC_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not become ready: ${out}`)), 30_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (!line) return;
      clearTimeout(t);
      const ports = Object.fromEntries(
        line.split(' ').slice(1).map((pair) => {
          const [k, v] = pair.split('=');
          return [k!, Number(v)];
        }),
      );
      resolve({ child, ports, output: () => out, exited });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before ready: ${out}`)));
  });
}
