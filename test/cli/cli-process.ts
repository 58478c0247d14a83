// Runs the `almanac` command as a child process, as a user would. Under `npm test` (the dist/ build)
// that is bin/almanac.js itself; an engineer's own build (dist-<name>/) runs its src/cli/main.js,
// which is the file bin/almanac.js imports, so both paths execute the same code.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const buildRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = join(buildRoot, '..');
export const CLI_ENTRY = basename(buildRoot) === 'dist' ? join(repoRoot, 'bin', 'almanac.js') : join(buildRoot, 'src', 'cli', 'main.js');

/** The parent's environment without ALMANAC_* variables, so a developer's settings cannot leak in. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ALMANAC_')) env[name] = value;
  return { ...env, ...extra };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runAlmanac(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    env: cleanEnv(options.env ?? {}),
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function spawnAlmanac(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [CLI_ENTRY, ...args], {
    env: cleanEnv(options.env ?? {}),
    cwd: options.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
