// Scenario `pubsub-10k` (XEP-0060 section 7.1.2.1): one node with 10,000 subscribers on separate
// connections; `publishes` single publishes, each waited out before the next. Reports, per publish,
// the time from sending it until the last of the 10,000 notifications arrived, and p50/p99 of all
// publish-to-delivery latencies.

import { LatencyRecorder } from '../load/latency.js';
import { PubsubFixture } from './pubsub-fixture.js';
import { numberOption, sleep, unavailable, type Scenario, type ScenarioResult } from './scenario.js';

export const pubsub10k: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  const subscribers = numberOption(ctx, 'subscribers', 10_000);
  const publishes = numberOption(ctx, 'publishes', 3);
  // The node and its subscriptions are kept for the next run (set --keep-node '' for a fresh one).
  const keep = ctx.options['keep-node'] === undefined ? `bench-fanout-${subscribers}` : String(ctx.options['keep-node']);
  const fixture = await PubsubFixture.open(target, control, subscribers, numberOption(ctx, 'pad', 0), keep);
  if (typeof fixture === 'string') return unavailable(fixture);

  const metrics: Record<string, number> = { subscribers, publishes };
  const notes: string[] = [];
  const all = new LatencyRecorder();
  let worst = 0;
  let complete = 0;
  await sleep(1000);
  await control.checkpoint('measure-start');
  for (let i = 1; i <= publishes; i++) {
    const run = await fixture.run(1, 1, 0, 30_000);
    const lat = run.latency.summary();
    // The last notification's latency is the time from publish to the last delivery.
    metrics[`publish${i}_last_ms`] = lat.max;
    metrics[`publish${i}_delivered`] = run.delivered;
    if (run.delivered === run.expected) complete++;
    else notes.push(`publish ${i}: ${run.delivered}/${run.expected} delivered before the 30 s limit`);
    if (run.publishErrors > 0) notes.push(`publish ${i} was refused`);
    worst = Math.max(worst, lat.max);
    all.merge(run.latency);
    await sleep(1000);
  }
  await control.checkpoint('measure-end');
  const summary = all.summary();
  metrics.worst_last_ms = worst;
  metrics.p50_ms = summary.p50;
  metrics.p99_ms = summary.p99;
  metrics.complete_publishes = complete;
  metrics.dropped = fixture.dropped;
  await fixture.close();
  return { available: true, metrics, notes };
};
