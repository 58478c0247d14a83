// Scenario `bosh-pingpong` (XEP-0124/0206): `sessions` BOSH sessions in pairs bounce chat messages
// back and forth as fast as they can for `seconds`; messages/s, one-way and round-trip latency, and
// how many sessions were ever left without an answer. Then one pair alone with one message in flight
// gives the light-load latency.

import { BoshSession } from '../load/bosh-session.js';
import { PingPong, type PingPongPeer } from '../load/ping-pong.js';
import { pingPongMetrics } from './messaging-figures.js';
import { loginSessions } from './session-pool.js';
import { numberOption, sleep, unavailable, type Scenario, type ScenarioResult } from './scenario.js';

export const boshPingpong: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  if (!target.boshUrl) return unavailable('no HTTP listener (no BOSH endpoint)');
  const count = 2 * Math.floor(numberOption(ctx, 'sessions', 100) / 2);
  const seconds = numberOption(ctx, 'seconds', 10);
  const window = numberOption(ctx, 'window', 1);
  const lightSeconds = numberOption(ctx, 'light-seconds', 3);
  const pool = await loginSessions((i) => new BoshSession(target, i, 'bosh', 10), count, 20, undefined, (s) => s.start());
  if (pool.failures.length > 0) {
    await Promise.all(pool.sessions.map((s) => s.terminate()));
    return unavailable(`BOSH login failed (${pool.failures.length}x): ${pool.failures[0]}`);
  }
  const sessions = pool.sessions;
  let failed = 0;
  const notes: string[] = [];
  for (const s of sessions) {
    s.onFailure = (reason) => {
      if (failed++ === 0) notes.push(`first session failure: ${reason}`);
    };
  }
  await sleep(1000);
  const peer = (s: BoshSession): PingPongPeer => ({ jid: s.jid, send: (x) => s.send(x), receive: (h) => (s.onPayload = h) });
  const pairs: [PingPongPeer, PingPongPeer][] = [];
  for (let i = 0; i < sessions.length; i += 2) pairs.push([peer(sessions[i]), peer(sessions[i + 1])]);

  const metrics: Record<string, number> = { sessions: count, window };
  const load = await new PingPong(pairs, window).run(seconds, 1, (name) => control.checkpoint(name));
  pingPongMetrics('load', load, metrics, notes);

  if (lightSeconds > 0) {
    const light = await new PingPong([pairs[0]], 1).run(lightSeconds, 0.5);
    pingPongMetrics('light', light, metrics, notes);
  }
  metrics.failed_sessions = failed;
  await Promise.all(sessions.map((s) => s.terminate()));
  return { available: true, metrics, notes };
};
