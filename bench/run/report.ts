// Markdown tables of the figures: one table per scenario, a column per server, and the ratio of
// almanac to each peer (DESIGN.md section 7: ratios against Prosody and ejabberd run on the same
// machine in the same run, plus absolute figures with the machine named).

import { FIGURES } from './suite.js';
import type { RunRecord } from './records.js';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  kernel: string;
  memoryGiB: number;
  loadBefore: string;
  date: string;
}

export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return 'n/a';
  const abs = Math.abs(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  if (abs >= 100) return Math.round(x).toLocaleString('en-US');
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}x`;
}

export function renderReport(records: RunRecord[], machine: MachineInfo, versions: Record<string, string>, storage: Record<string, string>): string {
  const servers = [...new Set(records.map((r) => r.server))];
  const peers = servers.filter((s) => s !== 'almanac');
  const out: string[] = [];
  out.push(`Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}; ${machine.date}; load average before the run ${machine.loadBefore}.`);
  out.push('');
  for (const s of servers) out.push(`- ${s} ${versions[s] ?? ''}: ${storage[s] ?? ''}`);
  out.push('');
  const labels = [...new Set(records.map((r) => r.label))];
  for (const label of labels) {
    const runs = new Map(records.filter((r) => r.label === label).map((r) => [r.server, r]));
    const figures = FIGURES[label] ?? [];
    out.push(`### ${label}`);
    out.push('');
    const hasAlmanac = runs.has('almanac');
    const head = ['figure', ...servers, ...(hasAlmanac ? peers.map((p) => `almanac/${p}`) : [])];
    out.push(`| ${head.join(' | ')} |`);
    out.push(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const f of figures) {
      const value = (s: string): number | undefined => {
        const r = runs.get(s);
        return r && r.available ? r.metrics[f.metric] : undefined;
      };
      const cells = servers.map((s) => formatNumber(value(s)));
      const ratios = hasAlmanac ? peers.map((p) => ratio(value('almanac'), value(p))) : [];
      out.push(`| ${f.label} (${f.better} is better) | ${[...cells, ...ratios].join(' | ')} |`);
    }
    const cpu = servers.map((s) => {
      const r = runs.get(s);
      if (!r?.available || r.metrics.server_cpu_util === undefined) return 'n/a';
      return `${Math.round(r.metrics.server_cpu_util * 100)}% / ${Math.round(r.metrics.generator_cpu_util * 100)}%`;
    });
    if (cpu.some((c) => c !== 'n/a')) {
      out.push(`| CPU during the measured part: server / load generator (% of one core) | ${cpu.join(' | ')} |${hasAlmanac ? ' |'.repeat(peers.length) : ''}`);
    }
    out.push('');
    for (const s of servers) {
      const r = runs.get(s);
      if (!r) continue;
      if (!r.available) out.push(`- ${s}: ${s === 'almanac' ? 'not available yet' : 'could not run'} (${r.reason ?? 'no reason given'})`);
      for (const n of r.notes) out.push(`- ${s}: ${n}`);
    }
    out.push('');
  }
  return out.join('\n');
}
