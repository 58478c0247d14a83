// Command-line flags (DESIGN.md section 6): one `--kebab-name` per schema key, `--no-<name>` for
// booleans, `--config FILE`. node:util parseArgs splits the arguments; this file checks them itself so
// that every mistake is a ConfigError naming the flag.

import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';
import { CONFIG_FILE_FLAG, flagNames } from './names.js';
import { CONFIG_KEYS, type KeySpec } from './schema.js';
import type { RawValue } from './coerce.js';
import { closestName } from './suggest.js';

export interface ParsedFlags {
  /** Raw values by schema key; the last occurrence of a flag wins. */
  values: Map<string, RawValue>;
  configFile: string | undefined;
  positionals: string[];
  help: boolean;
}

const FLAG_TO_SPEC = new Map<string, KeySpec>();
for (const spec of CONFIG_KEYS) for (const name of flagNames(spec)) FLAG_TO_SPEC.set(name, spec);

/** Every flag name accepted (without `--`), for help texts and suggestions. */
export function knownFlagNames(): string[] {
  const names = [CONFIG_FILE_FLAG, 'help'];
  for (const [name, spec] of FLAG_TO_SPEC) {
    names.push(name);
    if (spec.type === 'boolean') names.push(`no-${name}`);
  }
  return names;
}

const PARSE_OPTIONS = (() => {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    [CONFIG_FILE_FLAG]: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of FLAG_TO_SPEC) options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  return options;
})();

/**
 * Parses flags and positionals. `cwd` anchors relative paths given on the command line.
 * Throws ConfigError for an unknown flag, a missing value, or a value given to a boolean flag.
 */
export function parseFlags(argv: readonly string[], cwd: string): ParsedFlags {
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const parsed: ParsedFlags = { values: new Map(), configFile: undefined, positionals: [], help: false };
  for (const token of tokens) {
    if (token.kind === 'positional') {
      parsed.positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const flag = token.rawName;
    const known = PARSE_OPTIONS[token.name];
    if (token.name === 'help') {
      parsed.help = true;
      continue;
    }
    if (known === undefined) {
      const negated = token.name.startsWith('no-') ? FLAG_TO_SPEC.get(token.name.slice(3)) : undefined;
      if (negated?.type === 'boolean' && token.value === undefined) {
        parsed.values.set(negated.key, { value: false, source: flag, origin: 'text', baseDir: cwd });
        continue;
      }
      const suggestion = closestName(token.name, knownFlagNames());
      throw new ConfigError(flag, `unknown flag${suggestion ? ` (did you mean --${suggestion}?)` : ''}`);
    }
    if (known.type === 'boolean') {
      if (token.value !== undefined) throw new ConfigError(flag, `takes no value (use ${flag} or --no-${token.name})`);
      parsed.values.set(FLAG_TO_SPEC.get(token.name)!.key, { value: true, source: flag, origin: 'text', baseDir: cwd });
      continue;
    }
    // A following flag is never taken as the value: `--domain --demo` forgot the domain.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new ConfigError(flag, 'needs a value');
    }
    if (token.name === CONFIG_FILE_FLAG) parsed.configFile = token.value;
    else parsed.values.set(FLAG_TO_SPEC.get(token.name)!.key, { value: token.value, source: flag, origin: 'text', baseDir: cwd });
  }
  return parsed;
}
