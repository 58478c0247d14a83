// The load-generator process: runs one scenario against one server and prints its result as a JSON
// line. The orchestrator starts it pinned to its own core; it can also be run by hand:
//   node dist/bench/load/generator.js '{"scenario":"logins","target":{...},"options":{}}'

import { Control } from './control.js';
import type { Target } from './target.js';
import { SCENARIOS } from '../scenarios/index.js';
import type { OptionValue } from '../scenarios/scenario.js';

interface Job {
  scenario: string;
  target: Target;
  options: Record<string, OptionValue>;
  controlled?: boolean;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const scenario = SCENARIOS[job.scenario];
if (!scenario) {
  process.stderr.write(`unknown scenario ${job.scenario}; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}
const control = new Control(job.controlled === true);
try {
  const result = await scenario({ target: job.target, control, options: job.options ?? {} });
  control.result(result);
  process.exit(0);
} catch (err) {
  control.result({ available: false, reason: `generator error: ${(err as Error).stack ?? String(err)}`, metrics: {}, notes: [] });
  process.exit(1);
}
