// The TOML configuration file (DESIGN.md section 6, TOML v1.0.0): top-level keys, and one table per
// group (`[limits]`, `[bosh]`, ...) or the equivalent dotted keys (`limits.max_stanza_bytes = 1`).
// Every key must be known: a misspelt key would otherwise be silently ignored.
// Relative paths in the file are resolved against the file's own directory, not the working directory.

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { RawValue } from './coerce.js';
import { ConfigError } from './errors.js';
import { CONFIG_FILE_FLAG, groupOf } from './names.js';
import { CONFIG_KEYS, findKey } from './schema.js';
import { closestName } from './suggest.js';

const GROUPS = new Set(CONFIG_KEYS.map((spec) => groupOf(spec.key)).filter((g): g is string => g !== undefined));
const ALL_KEYS = CONFIG_KEYS.map((spec) => spec.key);

/** Reads and checks the file at the absolute `path`; values are validated later by coerceValue. */
export function readTomlFile(path: string): Map<string, RawValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(CONFIG_FILE_FLAG, `cannot read ${path}: ${code}`);
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new ConfigError(CONFIG_FILE_FLAG, `${path} line ${err.line}, column ${err.column}: ${reason}`);
  }
  return flatten(document, path);
}

function flatten(document: Record<string, unknown>, path: string): Map<string, RawValue> {
  const values = new Map<string, RawValue>();
  const baseDir = dirname(path);
  const add = (key: string, value: unknown): void => {
    const spec = findKey(key);
    if (spec === undefined || GROUPS.has(key)) {
      const suggestion = closestName(key, ALL_KEYS);
      throw new ConfigError(key, `unknown key${suggestion ? ` (did you mean ${suggestion}?)` : ''}`, path);
    }
    values.set(key, { value, source: path, origin: 'toml', baseDir });
  };
  for (const [name, value] of Object.entries(document)) {
    if (!GROUPS.has(name)) {
      add(name, value);
      continue;
    }
    if (!isTable(value)) throw new ConfigError(name, `must be a table ([${name}]) of keys`, path);
    for (const [inner, innerValue] of Object.entries(value)) add(`${name}.${inner}`, innerValue);
  }
  return values;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
