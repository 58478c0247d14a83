// Scenario `logins`: complete RFC 6120 logins (stream, SASL PLAIN, restart, bind) as fast as the server
// allows, `parallel` of them in flight, for `seconds`. Accounts rotate through a pool so no account
// has two logins at once. With hashed password storage every PLAIN login costs the server one PBKDF2
// run, which is why all three servers are set to the same iteration count.

import { XmppTcpClient } from '../load/xmpp-tcp-client.js';
import { numberOption, sleep, type Scenario, type ScenarioResult } from './scenario.js';

export const logins: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  const seconds = numberOption(ctx, 'seconds', 10);
  const warmup = numberOption(ctx, 'warmup', 2);
  const parallel = numberOption(ctx, 'parallel', 20);
  const pool = Math.min(target.users, numberOption(ctx, 'pool', 2000));

  // One login first: a server that cannot log in at all is "not available", not a zero.
  const probe = new XmppTcpClient(target, 0, 'probe');
  try {
    await probe.login(10_000);
    await probe.close();
  } catch (err) {
    return { available: false, reason: `login failed: ${(err as Error).message}`, metrics: {}, notes: [] };
  }

  let nextAccount = 0;
  let counting = false;
  let stop = false;
  let completed = 0;
  const failures: string[] = [];
  const closing = new Set<Promise<void>>();
  let serial = 0;

  const worker = async (): Promise<void> => {
    while (!stop) {
      const index = nextAccount++ % pool;
      const client = new XmppTcpClient(target, index, `l${serial++}`);
      try {
        await client.login(30_000);
        if (counting) completed++;
      } catch (err) {
        if (counting) failures.push((err as Error).message);
        await sleep(10);
        continue;
      }
      // Closing is part of the server's work but not of the login's latency.
      const p = client.close().finally(() => closing.delete(p));
      closing.add(p);
    }
  };

  const workers = Array.from({ length: parallel }, worker);
  await sleep(warmup * 1000);
  await control.checkpoint('measure-start');
  counting = true;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  counting = false;
  const wall = (performance.now() - t0) / 1000;
  await control.checkpoint('measure-end');
  stop = true;
  await Promise.all(workers);
  await Promise.all([...closing]);

  const notes: string[] = [];
  if (failures.length > 0) notes.push(`${failures.length} failed logins, first: ${failures[0]}`);
  return {
    available: true,
    metrics: { logins: completed, seconds: wall, logins_per_s: completed / wall, failed: failures.length, parallel },
    notes,
  };
};
