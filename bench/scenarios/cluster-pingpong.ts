// Scenario `cluster-pingpong`: the cost of a message crossing processes in an almanac cluster
// (docs/CLUSTER.md: a stanza for a session held elsewhere travels over the Redis bus). RFC 6121
// section 5 chat messages to full JIDs bounce between the two ends of each pair, as in
// `websocket-roundtrip` but over plain TCP, with each client placed on a chosen process:
//
//   --placement same    both ends of a pair on the same process (pairs alternate between processes)
//   --placement cross   the two ends on different processes, so every message crosses the bus
//
// Both placements load every process equally; only the crossing differs. With one process (a target
// without `ports`) both placements are the same. Then one pair alone for the light-load round trip.
// `--presence` sends initial presence after binding (RFC 6121 section 4.2); messages to a full JID
// reach a bound resource without it.

import { PingPong, type PingPongPeer } from '../load/ping-pong.js';
import { XmppTcpClient } from '../load/xmpp-tcp-client.js';
import { closeAll } from '../load/login-pool.js';
import type { Target } from '../load/target.js';
import { pingPongMetrics } from './messaging-figures.js';
import { numberOption, sleep, unavailable, type Scenario, type ScenarioResult } from './scenario.js';

/** The c2s port of each process of a cluster target (bench/servers/almanac-cluster.ts). */
function processPorts(target: Target): number[] {
  const ports = (target as Target & { ports?: number[] }).ports;
  return ports && ports.length > 0 ? ports : [target.port];
}

export const clusterPingpong: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target } = ctx;
  const pairCount = Math.floor(numberOption(ctx, 'sessions', 100) / 2);
  const seconds = numberOption(ctx, 'seconds', 10);
  const window = numberOption(ctx, 'window', 1);
  const lightSeconds = numberOption(ctx, 'light-seconds', 3);
  const placement = String(ctx.options.placement ?? 'same');
  if (placement !== 'same' && placement !== 'cross') return unavailable(`--placement must be same or cross, not ${placement}`);
  // Initial presence makes each process take the account's offline messages (a write transaction);
  // off by default, see the note in docs/PERFORMANCE.md ("Cluster").
  const presence = ctx.options.presence === true || ctx.options.presence === 'true';
  const ports = processPorts(target);
  if (target.users < 2 * pairCount) return unavailable(`needs ${2 * pairCount} accounts, the server has ${target.users}`);

  // Pair p: end A on process p mod n, end B on the same one or the next one.
  const slots: { index: number; port: number }[] = [];
  for (let p = 0; p < pairCount; p++) {
    const home = p % ports.length;
    slots.push({ index: 2 * p, port: ports[home] });
    slots.push({ index: 2 * p + 1, port: ports[placement === 'same' ? home : (home + 1) % ports.length] });
  }
  const clients: XmppTcpClient[] = new Array(slots.length);
  const failures: string[] = [];
  let dropped = 0;
  let firstDrop = '';
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < slots.length) {
      const slot = next++;
      const client = new XmppTcpClient({ ...target, port: slots[slot].port }, slots[slot].index, 'pp');
      try {
        await client.login(30_000);
        // From login on: a session the server ends during set-up must not pass for a slow pair.
        client.onDrop = (reason) => {
          if (dropped++ === 0) firstDrop = `${client.bareJid}: ${reason}`;
        };
        if (presence) client.send("<presence xmlns='jabber:client'/>");
        clients[slot] = client;
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  const live = clients.filter((c) => c !== undefined);
  if (failures.length > 0) {
    await closeAll(live);
    return unavailable(`login failed (${failures.length}x): ${failures[0]}`);
  }
  const notes: string[] = [];
  await sleep(1000);
  const peer = (c: XmppTcpClient): PingPongPeer => ({ jid: c.jid, send: (x) => c.send(x), receive: (h) => c.useRaw(h) });
  const pairs: [PingPongPeer, PingPongPeer][] = [];
  // Pairs with an end already closed by the server are left out, and said so.
  for (let p = 0; p < pairCount; p++) if (!clients[2 * p].closed && !clients[2 * p + 1].closed) pairs.push([peer(clients[2 * p]), peer(clients[2 * p + 1])]);
  if (dropped > 0) notes.push(`${dropped} sessions ended by the server during set-up (first: ${firstDrop}); ${pairCount - pairs.length} pairs left out`);
  if (pairs.length === 0) {
    await closeAll(clients);
    return unavailable(`every pair lost a session during set-up (first: ${firstDrop})`);
  }
  const setupDrops = dropped;

  const metrics: Record<string, number> = { sessions: 2 * pairs.length, window, processes: ports.length, crossing: placement === 'cross' && ports.length > 1 ? 1 : 0, presence: presence ? 1 : 0 };
  const load = await new PingPong(pairs, window).run(seconds, 1, (name) => ctx.control.checkpoint(name));
  pingPongMetrics('load', load, metrics, notes);
  if (lightSeconds > 0) {
    const light = await new PingPong([pairs[0]], 1).run(lightSeconds, 0.5);
    pingPongMetrics('light', light, metrics, notes);
  }
  metrics.dropped = dropped;
  if (dropped > setupDrops) notes.push(`${dropped - setupDrops} connections dropped during the run`);
  await closeAll(clients);
  return { available: true, metrics, notes };
};
