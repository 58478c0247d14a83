// One scenario run against one server, as the orchestrator records it, and the figures derived from
// the server samples taken at the scenario's checkpoints (DESIGN.md section 7: report both processes'
// CPU time and the server's RSS).

import type { ProcessSample } from '../servers/process-stats.js';

export interface CheckpointRecord {
  name: string;
  /** Generator clock, seconds. */
  at: number;
  generatorCpu: number;
  server: ProcessSample;
}

export interface RunRecord {
  label: string;
  scenario: string;
  server: string;
  options: Record<string, unknown>;
  available: boolean;
  reason?: string;
  metrics: Record<string, number>;
  notes: string[];
  checkpoints: CheckpointRecord[];
  wallSeconds: number;
}

/** Adds CPU and memory figures computed from the checkpoints to `record.metrics`. */
export function deriveFigures(record: RunRecord): void {
  const cp = new Map(record.checkpoints.map((c) => [c.name, c]));
  const m = record.metrics;
  const span = (from: string, to: string, prefix: string): void => {
    const a = cp.get(from);
    const b = cp.get(to);
    if (!a || !b) return;
    const wall = b.at - a.at;
    m[`${prefix}server_cpu_s`] = b.server.cpu - a.server.cpu;
    m[`${prefix}server_cpu_util`] = (b.server.cpu - a.server.cpu) / wall;
    m[`${prefix}generator_cpu_util`] = (b.generatorCpu - a.generatorCpu) / wall;
  };
  span('measure-start', 'measure-end', '');
  span('paced-start', 'paced-end', 'paced_');
  // Work per server CPU-second: less sensitive than rates to other load on a shared machine.
  if (m.server_cpu_s > 0) {
    if (record.scenario === 'logins') m.logins_per_server_cpu_s = m.logins / m.server_cpu_s;
    if (record.scenario === 'pubsub-fanout') m.burst_per_server_cpu_s = m.burst_delivered / m.server_cpu_s;
    if (record.scenario === 'bosh-pingpong' || record.scenario === 'websocket-roundtrip') m.load_per_server_cpu_s = m.load_delivered / m.server_cpu_s;
  }
  for (const c of record.checkpoints) m[`rss_kib_${c.name}`] = c.server.rssKiB;
  const baseline = cp.get('baseline');
  if (baseline) {
    for (const c of record.checkpoints) {
      const held = /^held-(\d+)$/.exec(c.name);
      if (!held) continue;
      const n = Number(held[1]);
      const perItem = (c.server.rssKiB - baseline.server.rssKiB) / n;
      if (record.scenario === 'bosh-sessions') m.kib_per_session = perItem;
      else m[`kib_per_connection_${n}`] = perItem;
    }
  }
}
