// Scenario `bosh-sessions` (XEP-0124 section 7 and 11): hold `sessions` authenticated BOSH sessions
// (5,000 by default), each with one request waiting at the server, and let the orchestrator read the
// server's RSS before and after. Afterwards every session must still answer an XEP-0199 ping.

import { BoshSession } from '../load/bosh-session.js';
import { loginSessions } from './session-pool.js';
import { numberOption, sleep, unavailable, type Scenario, type ScenarioResult } from './scenario.js';

export const boshSessions: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  if (!target.boshUrl) return unavailable('no HTTP listener (no BOSH endpoint)');
  const count = Math.min(numberOption(ctx, 'sessions', 5000), target.users);
  const settle = numberOption(ctx, 'settle', 3);
  await sleep(settle * 1000);
  await control.checkpoint('baseline');
  let failed = 0;
  const notes: string[] = [];
  const pool = await loginSessions(
    (i) => new BoshSession(target, i, 'held', 60),
    count,
    40,
    (n) => control.log(`${n}/${count} BOSH sessions`),
    (s) => {
      s.onFailure = (reason) => {
        if (failed++ === 0) notes.push(`first session failure: ${reason}`);
      };
      s.start();
    },
  );
  if (pool.failures.length > 0) {
    notes.push(`${pool.failures.length} BOSH logins failed, first: ${pool.failures[0]}`);
    if (pool.sessions.length === 0) return unavailable(`BOSH login failed: ${pool.failures[0]}`);
  }
  const sessions = pool.sessions;
  await sleep(settle * 1000);
  await control.checkpoint(`held-${sessions.length}`);
  const answering = await pingAll(sessions);
  await Promise.all(sessions.map((s) => s.terminate()));
  return {
    available: true,
    metrics: { sessions: sessions.length, login_s: pool.seconds, answering, failed_sessions: failed },
    notes,
  };
};

/**
 * One XEP-0199 ping per session, 100 in flight: each ping opens the session's second HTTP connection,
 * and 5,000 connection attempts at once would overflow the peers' listen backlog of 128 and measure
 * SYN retransmission instead of the server.
 */
async function pingAll(sessions: BoshSession[]): Promise<number> {
  let answered = 0;
  let next = 0;
  const pingOne = (s: BoshSession): Promise<void> =>
    new Promise<void>((resolve) => {
      if (s.failure) return resolve();
      const timer = setTimeout(resolve, 20_000);
      s.onPayload = (body) => {
        if (/id=["']bench-ping["']/.test(body)) {
          answered++;
          clearTimeout(timer);
          resolve();
        }
      };
      s.send(`<iq xmlns='jabber:client' type='get' id='bench-ping' to='${s.jid.split('@')[1].split('/')[0]}'><ping xmlns='urn:xmpp:ping'/></iq>`);
    });
  const worker = async (): Promise<void> => {
    while (next < sessions.length) await pingOne(sessions[next++]);
  };
  await Promise.all(Array.from({ length: 100 }, worker));
  return answered;
}
