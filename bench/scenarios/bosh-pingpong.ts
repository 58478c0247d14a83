// Scenario `bosh-pingpong` (XEP-0124/0206): `sessions` BOSH sessions in pairs bounce chat messages
// back and forth as fast as they can for `seconds`; messages/s, one-way and round-trip latency, and
// how many sessions were ever left without an answer. Then one pair alone with one message in flight
// gives the light-load latency.

import { BoshSession } from '../load/bosh-session.js';
import { runPingPong } from './ping-pong-scenario.js';
import { unavailable, type Scenario } from './scenario.js';

export const boshPingpong: Scenario = async (ctx) => {
  const { target } = ctx;
  if (!target.boshUrl) return unavailable('no HTTP listener (no BOSH endpoint)');
  return runPingPong(ctx, {
    name: 'BOSH',
    make: (i) => new BoshSession(target, i, 'bosh', 10),
    ready: (s) => s.start(),
    peer: (s) => ({ jid: s.jid, send: (x) => s.send(x), receive: (h) => (s.onPayload = h) }),
    close: (s) => s.terminate(),
  });
};
