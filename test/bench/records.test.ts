// Figures the orchestrator derives from its server samples (bench/run/records.ts) and how the report
// shows them (bench/run/report.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveFigures, type RunRecord } from '../../bench/run/records.js';
import { formatNumber, renderReport } from '../../bench/run/report.js';

function record(server: string, scenario: string, checkpoints: RunRecord['checkpoints'], metrics: Record<string, number> = {}): RunRecord {
  return { label: scenario, scenario, server, options: {}, available: true, metrics, notes: [], checkpoints, wallSeconds: 1 };
}

const machine = { cpus: 2, cpuModel: 'test', node: 'v20', kernel: '6', memoryGiB: 1, loadBefore: '0', date: 'today' };

describe('derived figures', () => {
  it('memory per connection is the RSS growth over the baseline divided by the connections held', () => {
    const r = record('almanac', 'idle-memory', [
      { name: 'baseline', at: 0, generatorCpu: 0, server: { cpu: 0, rssKiB: 50_000 } },
      { name: 'held-1000', at: 5, generatorCpu: 1, server: { cpu: 1, rssKiB: 58_000 } },
      { name: 'held-10000', at: 9, generatorCpu: 2, server: { cpu: 3, rssKiB: 130_000 } },
    ]);
    deriveFigures(r);
    assert.equal(r.metrics.kib_per_connection_1000, 8);
    assert.equal(r.metrics.kib_per_connection_10000, 8);
  });

  it('CPU utilisation and logins per CPU-second come from the measured span only', () => {
    const r = record(
      'prosody',
      'logins',
      [
        { name: 'measure-start', at: 10, generatorCpu: 1, server: { cpu: 4, rssKiB: 1 } },
        { name: 'measure-end', at: 20, generatorCpu: 2, server: { cpu: 9, rssKiB: 1 } },
      ],
      { logins: 1000 },
    );
    deriveFigures(r);
    assert.equal(r.metrics.server_cpu_util, 0.5);
    assert.equal(r.metrics.generator_cpu_util, 0.1);
    assert.equal(r.metrics.logins_per_server_cpu_s, 200);
  });
});

describe('report', () => {
  it('shows almanac/peer ratios and says why a server could not run', () => {
    const a = record('almanac', 'logins', [], { logins_per_s: 300 });
    const p = record('prosody', 'logins', [], { logins_per_s: 150 });
    const e = { ...record('ejabberd', 'logins', []), available: false, reason: 'no listener' };
    const text = renderReport([a, p, e], machine, {}, {});
    assert.match(text, /\| logins\/s[^|]*\| 300 \| 150 \| n\/a \| 2\.00x \| n\/a \|/);
    assert.match(text, /ejabberd: could not run \(no listener\)/);
  });

  it('numbers are shown with precision that fits their size', () => {
    assert.equal(formatNumber(57412.3), '57,412');
    assert.equal(formatNumber(12.345), '12.3');
    assert.equal(formatNumber(0.456), '0.46');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(Number.NaN), 'n/a');
  });
});
