// The contract between a scenario and the generator that runs it. A scenario reports plain numbers;
// the orchestrator adds the server-side figures (CPU time, RSS) it sampled at the scenario's
// checkpoints, so a scenario never has to know which server it is talking to.

import type { Control } from '../load/control.js';
import type { Target } from '../load/target.js';

export type OptionValue = number | string | boolean;

export interface ScenarioContext {
  target: Target;
  control: Control;
  options: Record<string, OptionValue>;
}

export interface ScenarioResult {
  /** false when the server cannot run the scenario yet (feature missing); `reason` says why. */
  available: boolean;
  reason?: string;
  metrics: Record<string, number>;
  /** Anything a reader of the figures must know (failures, partial runs). */
  notes: string[];
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

export function unavailable(reason: string): ScenarioResult {
  return { available: false, reason, metrics: {}, notes: [] };
}

export function numberOption(ctx: ScenarioContext, name: string, fallback: number): number {
  const v = ctx.options[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error(`option --${name} must be a number, got ${String(v)}`);
  return n;
}

export function listOption(ctx: ScenarioContext, name: string, fallback: number[]): number[] {
  const v = ctx.options[name];
  if (v === undefined) return fallback;
  return String(v)
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((x) => Number.isFinite(x) && x > 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
