// ALMANAC_* environment variables (DESIGN.md section 6): one per schema key, named by names.ts.
// An empty variable counts as unset, as container tooling often defines variables with no value.
// Variables with the prefix that name no key are ignored: other tools (test setups) share the prefix.

import type { RawValue } from './coerce.js';
import { envName } from './names.js';
import { CONFIG_KEYS } from './schema.js';

export function readEnvironment(env: NodeJS.ProcessEnv, cwd: string): Map<string, RawValue> {
  const values = new Map<string, RawValue>();
  for (const spec of CONFIG_KEYS) {
    const name = envName(spec);
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    values.set(spec.key, { value, source: name, origin: 'text', baseDir: cwd });
  }
  return values;
}
