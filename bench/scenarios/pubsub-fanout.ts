// Scenario `pubsub-fanout` (XEP-0060 section 7.1 publish, section 7.1.2.1 notifications): one
// publisher, one node, N subscribers on separate connections. First a burst: `items` publishes with
// `window` IQs outstanding, as fast as the server answers; then a paced run at `rate` notifications
// per second for `paced-seconds`. Reports notifications/s and publish-to-delivery p50/p99 of each.

import { PubsubFixture, type RunFigures } from './pubsub-fixture.js';
import { numberOption, sleep, unavailable, type Scenario, type ScenarioResult } from './scenario.js';

export const pubsubFanout: Scenario = async (ctx): Promise<ScenarioResult> => {
  const { target, control } = ctx;
  const subscribers = numberOption(ctx, 'subscribers', 200);
  const items = numberOption(ctx, 'items', 500);
  const window = numberOption(ctx, 'window', 32);
  const rate = numberOption(ctx, 'rate', 4000);
  const pacedSeconds = numberOption(ctx, 'paced-seconds', 5);
  const fixture = await PubsubFixture.open(target, control, subscribers, numberOption(ctx, 'pad', 0));
  if (typeof fixture === 'string') return unavailable(fixture);

  const metrics: Record<string, number> = { subscribers, items, window };
  const notes: string[] = [];
  await sleep(500);
  await control.checkpoint('measure-start');
  const burst = await fixture.run(items, window, 0, 120_000);
  await control.checkpoint('measure-end');
  record(metrics, notes, 'burst', burst);

  if (rate > 0 && pacedSeconds > 0) {
    const paceMs = (subscribers / rate) * 1000;
    const pacedItems = Math.max(1, Math.round((pacedSeconds * 1000) / paceMs));
    await sleep(500);
    await control.checkpoint('paced-start');
    const paced = await fixture.run(pacedItems, window, paceMs, pacedSeconds * 1000 + 30_000);
    await control.checkpoint('paced-end');
    record(metrics, notes, 'paced', paced);
    metrics.paced_target_per_s = rate;
  }
  if (fixture.notificationErrors > 0) notes.push(`${fixture.notificationErrors} error stanzas reached subscribers`);
  if (fixture.dropped > 0) notes.push(`${fixture.dropped} subscriber connections dropped`);
  metrics.dropped = fixture.dropped;
  await fixture.close();
  return { available: true, metrics, notes };
};

export function record(metrics: Record<string, number>, notes: string[], run: string, f: RunFigures): void {
  const lat = f.latency.summary();
  metrics[`${run}_published`] = f.published;
  metrics[`${run}_delivered`] = f.delivered;
  metrics[`${run}_expected`] = f.expected;
  metrics[`${run}_seconds`] = f.seconds;
  metrics[`${run}_per_s`] = f.delivered / f.seconds;
  metrics[`${run}_p50_ms`] = lat.p50;
  metrics[`${run}_p99_ms`] = lat.p99;
  metrics[`${run}_max_ms`] = lat.max;
  if (f.publishErrors > 0) notes.push(`${run}: ${f.publishErrors} publishes refused`);
  if (f.timedOut) notes.push(`${run}: timed out with ${f.delivered}/${f.expected} notifications delivered`);
}
