// Scenario `idle-memory`: hold N authenticated, bound, idle TCP connections (RFC 6120; no initial
// presence, so nothing but the session itself is kept) and let the orchestrator read the server's RSS
// before and after. Counts grow in steps (1,000 then 10,000 by default) on the same server process.
// After each reading every connection must still answer an XEP-0199 ping, so a server that dropped
// connections cannot look lean.

import { closeAll, loginMany } from '../load/login-pool.js';
import type { XmppTcpClient } from '../load/xmpp-tcp-client.js';
import { listOption, numberOption, sleep, type Scenario, type ScenarioResult } from './scenario.js';

export const idleMemory: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  const steps = listOption(ctx, 'counts', [1000, 10000]).filter((n) => n <= target.users);
  const settle = numberOption(ctx, 'settle', 3);
  const concurrency = numberOption(ctx, 'concurrency', 40);
  if (steps.length === 0) return { available: false, reason: `only ${target.users} accounts`, metrics: {}, notes: [] };

  await sleep(settle * 1000);
  await control.checkpoint('baseline');
  const clients: XmppTcpClient[] = [];
  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  let dropped = 0;
  for (const count of steps) {
    const want = Array.from({ length: count - clients.length }, (_, i) => clients.length + i);
    const pool = await loginMany(target, {
      indexes: want,
      resource: 'idle',
      concurrency,
      progress: (n) => control.log(`${clients.length + n}/${count} logged in`),
    });
    for (const c of pool.clients) c.onDrop = () => dropped++;
    clients.push(...pool.clients);
    if (pool.failures.length > 0) {
      notes.push(`${pool.failures.length} logins failed on the way to ${count}, first: ${pool.failures[0]}`);
      if (clients.length === 0) return { available: false, reason: `login failed: ${pool.failures[0]}`, metrics, notes };
      if (clients.length < count) break;
    }
    metrics[`login_s_${count}`] = pool.seconds;
    await sleep(settle * 1000);
    await control.checkpoint(`held-${count}`);
    metrics[`held_${count}`] = clients.filter((c) => !c.closed).length;
    metrics[`answering_${count}`] = await pingAll(clients);
  }
  metrics.dropped = dropped;
  await closeAll(clients);
  return { available: true, metrics, notes };
};

/** Sends one XEP-0199 ping on every connection; resolves with how many answered within 20 s. */
async function pingAll(clients: XmppTcpClient[]): Promise<number> {
  let answered = 0;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.closed) return resolve();
          const timer = setTimeout(resolve, 20_000);
          client.useStanzas((xml) => {
            if (xml.startsWith('<iq') && /id=["']bench-ping["']/.test(xml)) {
              if (/type=["']result["']/.test(xml)) answered++;
              clearTimeout(timer);
              resolve();
            }
          });
          client.send(`<iq type='get' id='bench-ping' to='${client.bareJid.split('@')[1]}'><ping xmlns='urn:xmpp:ping'/></iq>`);
        }),
    ),
  );
  return answered;
}
