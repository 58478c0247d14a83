// DESIGN.md section 3: a `heartbeat` node (open access) gets an item every N minutes, so a client can
// tell a silent feed from a broken connection.

import { escapeText } from '../../xml/escape.js';

export const HEARTBEAT_NODE = 'heartbeat';

export interface HeartbeatPublisher {
  publish(node: string, itemId: string, payloadXml: string, options: { config: Record<string, unknown> }): Promise<string>;
}

export function heartbeatPayload(now: Date): string {
  return `<heartbeat xmlns='urn:almanac:heartbeat:0'>${escapeText(now.toISOString())}</heartbeat>`;
}

/** Publishes one heartbeat now and then every `minutes`; returns a stop function. */
export function startHeartbeat(nodes: HeartbeatPublisher, minutes: number, now: () => Date = () => new Date()): () => void {
  if (minutes <= 0) return () => undefined;
  const beat = () =>
    nodes
      .publish(HEARTBEAT_NODE, 'current', heartbeatPayload(now()), {
        config: { access_model: 'open', max_items: 1, send_last_published_item: 'on_sub', title: 'Heartbeat' },
      })
      .catch(() => undefined);
  void beat();
  const timer = setInterval(beat, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
