// Turns ping-pong figures into the metric names every messaging scenario reports.

import type { PingPongFigures } from '../load/ping-pong.js';

export function pingPongMetrics(prefix: string, f: PingPongFigures, metrics: Record<string, number>, notes: string[]): void {
  const oneWay = f.oneWay.summary();
  const roundTrip = f.roundTrip.summary();
  metrics[`${prefix}_per_s`] = f.deliveredInTime / f.seconds;
  metrics[`${prefix}_delivered`] = f.deliveredInTime;
  metrics[`${prefix}_one_way_p50_ms`] = oneWay.p50;
  metrics[`${prefix}_one_way_p99_ms`] = oneWay.p99;
  metrics[`${prefix}_round_trip_p50_ms`] = roundTrip.p50;
  metrics[`${prefix}_round_trip_p99_ms`] = roundTrip.p99;
  metrics[`${prefix}_stalled_sessions`] = f.stalledSessions;
  metrics[`${prefix}_max_gap_ms`] = Math.round(f.maxGapMs);
  metrics[`${prefix}_lost`] = f.lost;
  if (f.errors > 0) notes.push(`${prefix}: ${f.errors} chunks carried error stanzas`);
  if (f.lost > 0) notes.push(`${prefix}: ${f.lost} messages never arrived`);
  if (f.stalledSessions > 0) notes.push(`${prefix}: ${f.stalledSessions} sessions had no answer for the last 2 s of the run`);
}
