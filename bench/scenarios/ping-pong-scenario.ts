// The ping-pong scenario shared by `bosh-pingpong` and `websocket-roundtrip`: log in the sessions in
// pairs, bounce messages as fast as the server delivers them for `seconds`, then one pair alone for
// the light-load round trip. Only how a session is made, wired and closed differs per transport.

import { PingPong, type PingPongPeer } from '../load/ping-pong.js';
import { pingPongMetrics } from './messaging-figures.js';
import { loginSessions, type Loginable } from './session-pool.js';
import { numberOption, sleep, unavailable, type ScenarioContext, type ScenarioResult } from './scenario.js';

export interface PingPongTransport<S extends Loginable & { onFailure?: (reason: string) => void }> {
  /** 'BOSH' or 'WebSocket', for messages. */
  name: string;
  make(slot: number): S;
  /** Runs as soon as a session is logged in (BOSH: start its request loop). */
  ready?(session: S): void;
  peer(session: S): PingPongPeer;
  close(session: S): Promise<void>;
}

export async function runPingPong<S extends Loginable & { onFailure?: (reason: string) => void }>(
  ctx: ScenarioContext,
  t: PingPongTransport<S>,
): Promise<ScenarioResult> {
  const count = 2 * Math.floor(numberOption(ctx, 'sessions', 100) / 2);
  const seconds = numberOption(ctx, 'seconds', 10);
  const window = numberOption(ctx, 'window', 1);
  const lightSeconds = numberOption(ctx, 'light-seconds', 3);
  const pool = await loginSessions((i) => t.make(i), count, 20, undefined, t.ready ? (s) => t.ready!(s) : undefined);
  if (pool.failures.length > 0) {
    await Promise.all(pool.sessions.map((s) => t.close(s)));
    return unavailable(`${t.name} login failed (${pool.failures.length}x): ${pool.failures[0]}`);
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
  const pairs: [PingPongPeer, PingPongPeer][] = [];
  for (let i = 0; i < sessions.length; i += 2) pairs.push([t.peer(sessions[i]!), t.peer(sessions[i + 1]!)]);

  const metrics: Record<string, number> = { sessions: count, window };
  const load = await new PingPong(pairs, window).run(seconds, 1, (name) => ctx.control.checkpoint(name));
  pingPongMetrics('load', load, metrics, notes);
  if (lightSeconds > 0) {
    const light = await new PingPong([pairs[0]!], 1).run(lightSeconds, 0.5);
    pingPongMetrics('light', light, metrics, notes);
  }
  metrics.failed_sessions = failed;
  await Promise.all(sessions.map((s) => t.close(s)));
  return { available: true, metrics, notes };
}
