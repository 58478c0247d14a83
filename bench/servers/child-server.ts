// Servers the benchmark starts as its own child processes (almanac, the null server): the `ready`
// line protocol of DESIGN.md section 6 and a SIGTERM-then-SIGKILL stop.

import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Waits for the `ready c2s=... http=...` line (DESIGN.md section 6) and returns its ports. */
export function readyPorts(child: ChildProcess, log: NodeJS.WritableStream): Promise<Record<string, number>> {
  return new Promise((resolvePorts, reject) => {
    const timer = setTimeout(() => reject(new Error('the server printed no ready line within 30 s')), 30_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.startsWith('ready')) return;
      clearTimeout(timer);
      const ports: Record<string, number> = {};
      for (const m of line.matchAll(/(\w+)=(\d+)/g)) ports[m[1]] = Number(m[2]);
      resolvePorts(ports);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it was ready (see its log)`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}
