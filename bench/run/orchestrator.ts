// The benchmark driver behind `npm run bench -- <scenario|all>`: for every scenario, and for every
// server in turn (almanac, Prosody, ejabberd), start a fresh server pinned to one core, run the load
// generator pinned to the other, sample the server's CPU time and RSS whenever the generator reaches a
// checkpoint, stop the server, and finally print Markdown tables and keep the raw results as JSON.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CheckpointMessage } from '../load/control.js';
import type { Target } from '../load/target.js';
import { SCENARIOS } from '../scenarios/index.js';
import type { OptionValue, ScenarioResult } from '../scenarios/scenario.js';
import { almanacLauncher } from '../servers/almanac-server.js';
import { peerLauncher } from '../servers/peer-server.js';
import { nullLauncher } from '../servers/null-launcher.js';
import { sample } from '../servers/process-stats.js';
import type { ServerHandle, ServerLauncher } from '../servers/server-handle.js';
import { deriveFigures, type CheckpointRecord, type RunRecord } from './records.js';
import { renderReport, type MachineInfo } from './report.js';
import { SUITE, SUITE_USERS, type SuiteEntry } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const GENERATOR = join(here, '..', 'load', 'generator.js');

export interface Settings {
  entries: SuiteEntry[];
  servers: string[];
  stateDir: string;
  serverCpus: string;
  clientCpus: string;
  users: number;
  repo: string;
  markdown?: string;
  scenarioTimeoutS: number;
}

function parseArgs(argv: string[], repo: string): Settings {
  const named: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) named[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) named[a.slice(2)] = argv[++i];
    else named[a.slice(2)] = 'true';
  }
  const take = (k: string, fallback: string): string => {
    const v = named[k] ?? fallback;
    delete named[k];
    return v;
  };
  const servers = take('servers', 'almanac,prosody,ejabberd').split(',').filter(Boolean);
  const stateDir = resolve(take('state-dir', process.env.BENCH_STATE_DIR ?? '/tmp/almanac-bench'));
  const serverCpus = take('server-cpus', process.env.BENCH_SERVER_CPUS ?? '0');
  const clientCpus = take('client-cpus', process.env.BENCH_CLIENT_CPUS ?? '1');
  const users = Number(take('users', String(SUITE_USERS)));
  const markdown = named.markdown ? resolve(take('markdown', '')) : undefined;
  const scenarioTimeoutS = Number(take('timeout', '600'));
  // Whatever is left are the scenario's own options (--subscribers 1000, --seconds 5, ...).
  const options: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(named)) options[k] = v === 'true' ? true : Number.isFinite(Number(v)) ? Number(v) : v;
  const wanted = positional.length === 0 ? ['all'] : positional;
  const entries: SuiteEntry[] = [];
  for (const name of wanted) {
    if (name === 'all') entries.push(...SUITE.map((e) => ({ ...e, options: { ...e.options, ...options } })));
    else if (SUITE.some((e) => e.label === name)) entries.push(...SUITE.filter((e) => e.label === name).map((e) => ({ ...e, options: { ...e.options, ...options } })));
    else if (SCENARIOS[name]) entries.push({ label: name, scenario: name, options });
    else throw new Error(`unknown scenario "${name}"; known: all, ${SUITE.map((e) => e.label).join(', ')}`);
  }
  for (const s of servers) if (!['almanac', 'prosody', 'ejabberd', 'null'].includes(s)) throw new Error(`unknown server "${s}"`);
  return { entries, servers, stateDir, serverCpus, clientCpus, users, repo, markdown, scenarioTimeoutS };
}

function launcherFor(name: string, repo: string): ServerLauncher {
  if (name === 'almanac') return almanacLauncher(repo);
  if (name === 'null') return nullLauncher;
  return peerLauncher(name as 'prosody' | 'ejabberd');
}

/**
 * Runs the generator for one scenario against a started server, sampling it at every checkpoint
 * (`sampleServer`: the server's pid by default; the cluster bench sums several processes).
 */
export function runGenerator(
  settings: Pick<Settings, 'clientCpus' | 'scenarioTimeoutS'>,
  entry: SuiteEntry,
  handle: Pick<ServerHandle, 'target' | 'pid'>,
  sampleServer: () => CheckpointRecord['server'] = () => sample(handle.pid),
): Promise<{ result: ScenarioResult; checkpoints: CheckpointRecord[] }> {
  const job = JSON.stringify({ scenario: entry.scenario, target: handle.target satisfies Target, options: entry.options, controlled: true });
  // Raise the descriptor limit for 10,000 connections, then pin the generator to its own core.
  const shell = `ulimit -n $(ulimit -Hn); exec ${settings.clientCpus ? `taskset -c ${settings.clientCpus} ` : ''}"$0" "$@"`;
  const child = spawn('bash', ['-c', shell, process.execPath, GENERATOR, job], { stdio: ['pipe', 'pipe', 'inherit'] });
  const checkpoints: CheckpointRecord[] = [];
  return new Promise((done) => {
    let result: ScenarioResult | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      result ??= { available: false, reason: `did not finish within ${settings.scenarioTimeoutS} s`, metrics: {}, notes: [] };
    }, settings.scenarioTimeoutS * 1000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: CheckpointMessage | { type: 'result'; data: ScenarioResult };
      try {
        message = JSON.parse(line);
      } catch {
        process.stderr.write(`  [generator stdout] ${line}\n`);
        return;
      }
      if (message.type === 'checkpoint') {
        checkpoints.push({ name: message.name, at: message.at, generatorCpu: message.cpu, server: sampleServer() });
        child.stdin.write('go\n');
      } else if (message.type === 'result') {
        result = message.data;
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({
        result: result ?? { available: false, reason: `load generator exited with code ${code} and no result`, metrics: {}, notes: [] },
        checkpoints,
      });
    });
  });
}

async function runOne(settings: Settings, entry: SuiteEntry, launcher: ServerLauncher): Promise<RunRecord> {
  const record: RunRecord = {
    label: entry.label,
    scenario: entry.scenario,
    server: launcher.name,
    options: entry.options,
    available: false,
    metrics: {},
    notes: [],
    checkpoints: [],
    wallSeconds: 0,
  };
  const t0 = performance.now();
  let handle: ServerHandle;
  try {
    handle = await launcher.start({ users: settings.users, cpus: settings.serverCpus, stateDir: settings.stateDir });
  } catch (err) {
    record.reason = `server did not start: ${(err as Error).message.split('\n')[0]}`;
    return record;
  }
  // Prosody and ejabberd run in their own sessions (setsid): Ctrl-C would not reach them.
  const interrupted = (): void => {
    process.stderr.write(`interrupted: stopping ${launcher.name}\n`);
    void handle.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const { result, checkpoints } = await runGenerator(settings, entry, handle);
    Object.assign(record, { available: result.available, reason: result.reason, metrics: result.metrics, notes: result.notes, checkpoints });
    if (record.available) deriveFigures(record);
    const gen = record.metrics.generator_cpu_util;
    if (gen > 0.9) record.notes.push(`the load generator used ${Math.round(gen * 100)}% of its core: the figure may be the generator's limit`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await handle.stop().catch((err) => process.stderr.write(`[${launcher.name}] stop failed: ${(err as Error).message}\n`));
  }
  record.wallSeconds = (performance.now() - t0) / 1000;
  return record;
}

function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadBefore: loadavg().map((x) => x.toFixed(2)).join(' '),
    date: new Date().toISOString(),
  };
}

export async function main(argv: string[], repo: string): Promise<number> {
  const settings = parseArgs(argv, repo);
  mkdirSync(settings.stateDir, { recursive: true });
  const launchers = settings.servers.map((s) => launcherFor(s, repo));
  const machine = machineInfo();
  const records: RunRecord[] = [];
  const started = performance.now();
  for (const entry of settings.entries) {
    for (const launcher of launchers) {
      process.stderr.write(`== ${entry.label} on ${launcher.name}\n`);
      const record = await runOne(settings, entry, launcher);
      records.push(record);
      const summary = record.available
        ? Object.entries(record.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`).join(' ')
        : `not available: ${record.reason}`;
      process.stderr.write(`   ${summary}\n`);
      for (const n of record.notes) process.stderr.write(`   note: ${n}\n`);
    }
  }
  const versions = Object.fromEntries(launchers.map((l) => [l.name, l.version()]));
  const storage = Object.fromEntries(launchers.map((l) => [l.name, l.passwordStorage]));
  const report = renderReport(records, machine, versions, storage);
  const resultsDir = join(settings.stateDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${machine.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine, versions, storage, argv, records }, null, 2));
  if (settings.markdown) writeFileSync(settings.markdown, report + '\n');
  process.stdout.write(report + '\n');
  process.stderr.write(`results: ${file} (${((performance.now() - started) / 1000).toFixed(0)} s in all)\n`);
  return 0;
}
