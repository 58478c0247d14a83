// How one schema key is spelled in each configuration source (DESIGN.md section 6): TOML keys are
// snake_case with groups as tables, flags are kebab-case with the group as a prefix, environment
// variables are ALMANAC_ plus the upper-cased key, and the typed Config uses camelCase.

import type { KeySpec } from './schema.js';

export const ENV_PREFIX = 'ALMANAC_';
/** The flag and variable naming the TOML file; not a key of the file itself. */
export const CONFIG_FILE_FLAG = 'config';
export const CONFIG_FILE_ENV = 'ALMANAC_CONFIG';

/** `limits.max_stanza_bytes` -> `limits-max-stanza-bytes` (used as `--limits-max-stanza-bytes`). */
export function flagName(spec: KeySpec): string {
  return spec.key.replace(/[._]/g, '-');
}

/** Every flag name accepted for a key, the derived one first. */
export function flagNames(spec: KeySpec): string[] {
  return [flagName(spec), ...(spec.flagAliases ?? [])];
}

/** `limits.max_stanza_bytes` -> `ALMANAC_LIMITS_MAX_STANZA_BYTES`. */
export function envName(spec: KeySpec): string {
  return ENV_PREFIX + spec.key.replace(/\./g, '_').toUpperCase();
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `limits.max_stanza_bytes` -> `['limits', 'maxStanzaBytes']`: where the value sits in Config. */
export function configPath(spec: KeySpec): string[] {
  return spec.key.split('.').map(camel);
}

/** The TOML table a key belongs to (`limits`), or undefined for top-level keys. */
export function groupOf(key: string): string | undefined {
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : key.slice(0, dot);
}
