// DESIGN.md section 6 end to end: `almanac serve` with every port 0 prints one line starting with
// `ready` naming the ports it bound, accepts a TCP connection on the c2s port, and exits 0 on SIGTERM.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { makeTempDir } from '../config/temp-dir.js';
import { spawnAlmanac } from './cli-process.js';

describe('almanac serve as a process', () => {
  it('prints the ready line with the bound ports and exits 0 on SIGTERM', async () => {
    const dataDir = makeTempDir('cli-serve');
    const child = spawnAlmanac([
      'serve', '--data-dir', dataDir, '--c2s-port', '0', '--tls-port', '0', '--http-port', '0',
      '--https-port', '0', '--component-port', '0', '--log-level', 'silent',
    ]);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      const lines = createInterface({ input: child.stdout! });
      const ready = await Promise.race([
        (async () => {
          for await (const line of lines) if (line.startsWith('ready')) return line;
          return undefined;
        })(),
        exited.then(() => undefined),
      ]);
      assert.ok(ready, `no ready line; stderr: ${stderr}`);
      const ports = Object.fromEntries(ready.split(' ').slice(1).map((pair) => pair.split('=') as [string, string]));
      const c2s = Number(ports.c2s);
      assert.ok(Number.isInteger(c2s) && c2s > 0, ready);
      for (const value of Object.values(ports)) assert.notEqual(Number(value), 0, ready);

      const socket = connect(c2s, '127.0.0.1');
      await once(socket, 'connect');
      socket.destroy();

      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, stderr);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
