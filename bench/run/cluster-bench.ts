// The cluster benchmark (docs/PERFORMANCE.md "Cluster: 1 and 2 processes"): the existing `logins` and
// `pubsub-fanout` scenarios against almanac as 1 process (with and without Redis) and as
// `serve --workers 2`, and `cluster-pingpong` with both ends of each pair on one process or on two.
// Each run starts a fresh layout (bench/servers/almanac-cluster.ts), runs the load generator pinned
// to its core, and samples the CPU time of every almanac process and of redis-server at the
// scenario's checkpoints. Every entry is repeated `--repeat` times, layouts interleaved, and the
// tables show the range over the repeats.
//
//   npx tsc -p tsconfig.json --outDir dist-x && node dist-x/bench/run/cluster-bench.js [entry ...]
//   options: --repeat 3  --layouts 1,1r,2w,2p  --state-dir /tmp/almanac-cluster-bench
//            --server-cpus ''  --client-cpus 1  --users 2001  --markdown FILE  --timeout 300
//            any other --name value is passed to every scenario (--seconds 5)

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OptionValue } from '../scenarios/scenario.js';
import { LAYOUTS, startCluster, type ClusterSample } from '../servers/almanac-cluster.js';
import { runGenerator } from './orchestrator.js';
import { deriveFigures, type RunRecord } from './records.js';
import { formatNumber } from './report.js';

interface ClusterEntry {
  label: string;
  scenario: string;
  options: Record<string, OptionValue>;
  layouts: string[];
  figures: [metric: string, label: string][];
}

const CPU_FIGURES: [string, string][] = [
  ['server_cpu_util', 'server CPU, all processes + Redis (cores)'],
  ['redis_cpu_share', 'of which redis-server (share)'],
  ['busiest_process_util', 'busiest almanac process (cores)'],
  ['generator_cpu_util', 'load generator (cores)'],
];

export const CLUSTER_SUITE: ClusterEntry[] = [
  {
    label: 'logins',
    scenario: 'logins',
    options: {},
    layouts: ['1', '1r', '2w'],
    figures: [['logins_per_s', 'logins/s (20 in flight)'], ['logins_per_server_cpu_s', 'logins per server CPU-second'], ...CPU_FIGURES],
  },
  {
    label: 'pubsub-fanout',
    scenario: 'pubsub-fanout',
    options: {},
    layouts: ['1', '1r', '2w'],
    figures: [
      ['burst_per_s', '200 x 500, window 32: notifications/s'],
      ['burst_per_server_cpu_s', 'notifications per server CPU-second'],
      ['burst_p50_ms', 'publish-to-delivery p50 (ms)'],
      ['burst_p99_ms', 'publish-to-delivery p99 (ms)'],
      ['paced_p99_ms', 'paced at 4,000/s: p99 (ms)'],
      ...CPU_FIGURES,
    ],
  },
  {
    label: 'pubsub-fanout-1k',
    scenario: 'pubsub-fanout',
    options: { subscribers: 1000, items: 100 },
    layouts: ['1', '1r', '2w'],
    figures: [
      ['burst_per_s', '1,000 x 100, window 32: notifications/s'],
      ['burst_per_server_cpu_s', 'notifications per server CPU-second'],
      ['burst_p50_ms', 'publish-to-delivery p50 (ms)'],
      ['burst_p99_ms', 'publish-to-delivery p99 (ms)'],
      ...CPU_FIGURES,
    ],
  },
  ...(['same', 'cross'] as const).map((placement) => ({
    label: `pingpong-${placement}`,
    scenario: 'cluster-pingpong',
    options: { placement },
    layouts: placement === 'same' ? ['1', '1r', '2p'] : ['2p'],
    figures: [
      ['load_per_s', '100 TCP sessions ping-pong: messages/s'],
      ['load_round_trip_p50_ms', 'round trip p50 (ms)'],
      ['load_round_trip_p99_ms', 'round trip p99 (ms)'],
      ['cpu_us_per_msg', 'server CPU per message, all processes + Redis (µs)'],
      ['almanac_us_per_msg', 'of which almanac (µs)'],
      ['redis_us_per_msg', 'of which redis-server (µs)'],
      ['light_round_trip_p50_ms', 'one pair alone: round trip p50 (ms)'],
      ['light_round_trip_p99_ms', 'one pair alone: round trip p99 (ms)'],
      ...CPU_FIGURES,
    ] as [string, string][],
  })),
];

interface Settings {
  entries: ClusterEntry[];
  layouts: string[] | undefined;
  repeat: number;
  stateDir: string;
  serverCpus: string;
  clientCpus: string;
  users: number;
  markdown?: string;
  scenarioTimeoutS: number;
}

function parseArgs(argv: string[]): Settings {
  const named: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) positional.push(a);
    else if (a.includes('=')) named[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) named[a.slice(2)] = argv[++i];
    else named[a.slice(2)] = '';
  }
  const entries = positional.length === 0 || positional.includes('all')
    ? CLUSTER_SUITE
    : positional.map((name) => {
        const e = CLUSTER_SUITE.find((x) => x.label === name);
        if (!e) throw new Error(`unknown entry "${name}"; known: ${CLUSTER_SUITE.map((x) => x.label).join(', ')}`);
        return e;
      });
  const layouts = named.layouts ? named.layouts.split(',') : undefined;
  // Anything else is a scenario option for every entry (--seconds 5, --light-seconds 0, ...).
  const known = ['layouts', 'repeat', 'state-dir', 'server-cpus', 'client-cpus', 'users', 'markdown', 'timeout'];
  const extra: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(named)) if (!known.includes(k)) extra[k] = v === '' ? true : Number.isFinite(Number(v)) ? Number(v) : v;
  const withExtra = entries.map((e) => ({ ...e, options: { ...e.options, ...extra } }));
  for (const l of layouts ?? []) if (!LAYOUTS[l]) throw new Error(`unknown layout "${l}"; known: ${Object.keys(LAYOUTS).join(', ')}`);
  return {
    entries: withExtra,
    layouts,
    repeat: Number(named.repeat ?? 3),
    stateDir: resolve(named['state-dir'] ?? '/tmp/almanac-cluster-bench'),
    serverCpus: named['server-cpus'] ?? '',
    clientCpus: named['client-cpus'] ?? '1',
    users: Number(named.users ?? 2001),
    markdown: named.markdown ? resolve(named.markdown) : undefined,
    scenarioTimeoutS: Number(named.timeout ?? 300),
  };
}

/** CPU split and per-message figures from the measured span's first and last samples. */
function deriveClusterFigures(record: RunRecord): void {
  const a = record.checkpoints.find((c) => c.name === 'measure-start');
  const b = record.checkpoints.find((c) => c.name === 'measure-end');
  if (!a || !b) return;
  const sa = a.server as ClusterSample;
  const sb = b.server as ClusterSample;
  const wall = b.at - a.at;
  const m = record.metrics;
  const almanac = sb.almanacCpu - sa.almanacCpu;
  const redis = sb.redisCpu - sa.redisCpu;
  m.almanac_cpu_s = almanac;
  m.redis_cpu_s = redis;
  m.redis_cpu_share = redis / (almanac + redis);
  m.busiest_process_util = Math.max(...sb.processCpu.map((c, i) => (c - (sa.processCpu[i] ?? 0)) / wall));
  sb.processCpu.forEach((c, i) => (m[`process${i}_util`] = (c - (sa.processCpu[i] ?? 0)) / wall));
  if (m.load_delivered > 0) {
    m.cpu_us_per_msg = ((almanac + redis) / m.load_delivered) * 1e6;
    m.almanac_us_per_msg = (almanac / m.load_delivered) * 1e6;
    m.redis_us_per_msg = (redis / m.load_delivered) * 1e6;
  }
}

async function runOne(settings: Settings, entry: ClusterEntry, layoutName: string): Promise<RunRecord> {
  const layout = LAYOUTS[layoutName];
  const record: RunRecord = { label: entry.label, scenario: entry.scenario, server: layout.name, options: entry.options, available: false, metrics: {}, notes: [], checkpoints: [], wallSeconds: 0 };
  const t0 = performance.now();
  const loadBefore = loadavg()[0];
  let handle;
  try {
    handle = await startCluster(layout, { users: settings.users, stateDir: settings.stateDir, cpus: settings.serverCpus });
  } catch (err) {
    record.reason = `cluster did not start: ${(err as Error).message.split('\n')[0]}`;
    return record;
  }
  const h = handle;
  const interrupted = (): void => {
    void h.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const { result, checkpoints } = await runGenerator(settings, { label: entry.label, scenario: entry.scenario, options: entry.options }, h, () => h.sample());
    Object.assign(record, { available: result.available, reason: result.reason, metrics: result.metrics, notes: result.notes, checkpoints });
    if (record.available) {
      deriveFigures(record);
      deriveClusterFigures(record);
    }
    record.metrics.load_avg_1m_before = loadBefore;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await h.stop().catch((err) => process.stderr.write(`[cluster] stop failed: ${(err as Error).message}\n`));
  }
  record.wallSeconds = (performance.now() - t0) / 1000;
  return record;
}

function range(values: number[]): string {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return 'n/a';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi || formatNumber(lo) === formatNumber(hi) ? formatNumber(lo) : `${formatNumber(lo)}-${formatNumber(hi)}`;
}

export function renderClusterReport(records: RunRecord[], entries: ClusterEntry[]): string {
  const out: string[] = [];
  for (const entry of entries) {
    const runs = records.filter((r) => r.label === entry.label);
    if (runs.length === 0) continue;
    const layouts = [...new Set(runs.map((r) => r.server))];
    const ok = (l: string): RunRecord[] => runs.filter((r) => r.server === l && r.available);
    out.push(`#### ${entry.label}`, '');
    const head = ['figure', ...layouts.map((l) => `${LAYOUTS[l].description} (${ok(l).length} runs)`)];
    out.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const [metric, label] of entry.figures) {
      if (!runs.some((r) => r.metrics[metric] !== undefined)) continue;
      out.push(`| ${label} | ${layouts.map((l) => range(ok(l).map((r) => r.metrics[metric]))).join(' | ')} |`);
    }
    out.push('');
    for (const r of runs) {
      if (!r.available) out.push(`- ${r.server}: not available (${r.reason})`);
      for (const n of r.notes) out.push(`- ${r.server}: ${n}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const settings = parseArgs(argv);
  mkdirSync(settings.stateDir, { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, kernel: release(), memoryGiB: Math.round(totalmem() / 2 ** 30), loadBefore: loadavg().map((x) => x.toFixed(2)).join(' '), date: new Date().toISOString() };
  const records: RunRecord[] = [];
  for (let round = 1; round <= settings.repeat; round++) {
    for (const entry of settings.entries) {
      for (const layout of entry.layouts.filter((l) => !settings.layouts || settings.layouts.includes(l))) {
        process.stderr.write(`== round ${round}: ${entry.label} on ${LAYOUTS[layout].description} (load ${loadavg()[0].toFixed(2)})\n`);
        const record = await runOne(settings, entry, layout);
        records.push(record);
        const shown = entry.figures.map(([m]) => m).filter((m) => record.metrics[m] !== undefined);
        process.stderr.write(record.available ? `   ${shown.map((m) => `${m}=${formatNumber(record.metrics[m])}`).join(' ')}\n` : `   not available: ${record.reason}\n`);
        for (const n of record.notes) process.stderr.write(`   note: ${n}\n`);
      }
    }
  }
  const report = [`Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}; ${machine.date}; load average before ${machine.loadBefore}; ${settings.repeat} rounds.`, '', renderClusterReport(records, settings.entries)].join('\n');
  const resultsDir = join(settings.stateDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `cluster-${machine.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine, argv, records }, null, 2));
  if (settings.markdown) writeFileSync(settings.markdown, report + '\n');
  process.stdout.write(report + '\n');
  process.stderr.write(`results: ${file}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
