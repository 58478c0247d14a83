// Percentiles as the benchmark reports them (bench/load/latency.ts): nearest rank.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyRecorder, percentile } from '../../bench/load/latency.js';

describe('latency percentiles', () => {
  it('nearest rank: p50 of 1..100 is 50, p99 is 99', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile(sorted, 100), 100);
  });

  it('the recorder grows past its first buffer and sorts numerically', () => {
    const r = new LatencyRecorder();
    for (let i = 5000; i >= 1; i--) r.record(i / 10);
    const s = r.summary();
    assert.equal(s.count, 5000);
    assert.equal(s.p50, 250);
    assert.equal(s.max, 500);
  });

  it('merge adds every sample of another recorder', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    a.record(1);
    b.record(3);
    b.record(2);
    a.merge(b);
    assert.deepEqual(a.summary(), { count: 3, p50: 2, p99: 3, max: 3 });
  });

  it('no samples gives NaN, not zero', () => {
    assert.ok(Number.isNaN(new LatencyRecorder().summary().p50));
  });
});
