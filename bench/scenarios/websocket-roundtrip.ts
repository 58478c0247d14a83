// Scenario `websocket-roundtrip` (RFC 7395): the same ping-pong as bosh-pingpong over WebSocket,
// `sessions` sessions in pairs for `seconds`, then one pair alone for the light-load round trip.

import { WebSocketSession } from '../load/websocket-session.js';
import { runPingPong } from './ping-pong-scenario.js';
import { unavailable, type Scenario } from './scenario.js';

export const websocketRoundtrip: Scenario = async (ctx) => {
  const { target } = ctx;
  if (!target.wsUrl) return unavailable('no HTTP listener (no WebSocket endpoint)');
  return runPingPong(ctx, {
    name: 'WebSocket',
    make: (i) => new WebSocketSession(target, i, 'ws'),
    peer: (s) => ({ jid: s.jid, send: (x) => s.send(x), receive: (h) => (s.onElement = h) }),
    close: (s) => s.close(),
  });
};
