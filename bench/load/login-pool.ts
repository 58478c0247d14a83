// Opening many authenticated TCP connections at once, a bounded number of logins in flight so the
// server's listen backlog (128 on both peers) is never the thing being measured.

import { XmppTcpClient } from './xmpp-tcp-client.js';
import type { Target } from './target.js';

export interface PoolOptions {
  /** Account indexes to log in, one connection each. */
  indexes: number[];
  resource: string;
  concurrency: number;
  /** Called with the number logged in so far, at most once a second. */
  progress?: (done: number) => void;
}

export interface PoolResult {
  clients: XmppTcpClient[];
  failures: string[];
  seconds: number;
}

export async function loginMany(target: Target, options: PoolOptions): Promise<PoolResult> {
  const clients: XmppTcpClient[] = new Array(options.indexes.length);
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  let done = 0;
  let lastReport = started;
  const worker = async (): Promise<void> => {
    while (next < options.indexes.length) {
      const slot = next++;
      const client = new XmppTcpClient(target, options.indexes[slot], options.resource);
      try {
        await client.login();
        clients[slot] = client;
      } catch (err) {
        failures.push((err as Error).message);
        // A broken server should fail the scenario quickly, not after 10,000 timeouts.
        if (failures.length >= 20) next = options.indexes.length;
      }
      done++;
      const now = performance.now();
      if (options.progress && now - lastReport > 1000) {
        lastReport = now;
        options.progress(done);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.indexes.length) }, worker));
  return { clients: clients.filter((c) => c !== undefined), failures, seconds: (performance.now() - started) / 1000 };
}

export async function closeAll(clients: XmppTcpClient[], concurrency = 200): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < clients.length) await clients[next++].close();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}
