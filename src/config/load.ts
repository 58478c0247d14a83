// Loading the configuration (DESIGN.md section 6). Precedence: flags > ALMANAC_* environment > TOML file
// > defaults. The file is named by --config or ALMANAC_CONFIG; without one, only flags, environment and
// defaults apply. Every value supplied anywhere is validated, even one that a higher source overrides,
// so a broken file is reported rather than lying in wait.

import { resolve } from 'node:path';
import { coerceValue, type ConfigValue, type RawValue } from './coerce.js';
import { checkConsistency } from './consistency.js';
import { readEnvironment } from './environment.js';
import { ConfigError } from './errors.js';
import { parseFlags } from './flags.js';
import { CONFIG_FILE_ENV, configPath } from './names.js';
import { CONFIG_KEYS, type Config, type KeySpec } from './schema.js';
import { readTomlFile } from './toml-file.js';

export interface LoadOptions {
  /** Flags (and, for loadCommandConfig, positionals) after the command name. Default: none. */
  argv?: readonly string[];
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Anchors relative paths from flags, environment and defaults. Default: process.cwd(). */
  cwd?: string;
}

export interface CommandConfig {
  config: Config;
  positionals: string[];
  /** The absolute path of the TOML file read, if any. */
  configFile: string | undefined;
}

/** Loads the configuration for a command that takes no positional arguments. Throws ConfigError. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const { config, positionals } = loadCommandConfig(opts);
  if (positionals.length > 0) throw new ConfigError(positionals[0]!, 'unexpected argument');
  return config;
}

/** Loads the configuration and returns the positional arguments mixed in with the flags. */
export function loadCommandConfig(opts: LoadOptions = {}): CommandConfig {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  const flags = parseFlags(opts.argv ?? [], cwd);
  const envValues = readEnvironment(env, cwd);
  const fileName = flags.configFile ?? nonEmpty(env[CONFIG_FILE_ENV]);
  const configFile = fileName === undefined ? undefined : resolve(cwd, fileName);
  const fileValues = configFile === undefined ? new Map<string, RawValue>() : readTomlFile(configFile);

  const config = {} as Record<string, unknown>;
  const sources = new Map<string, string>();
  for (const spec of CONFIG_KEYS) {
    let value: ConfigValue | undefined = defaultValue(spec, cwd);
    for (const layer of [fileValues, envValues, flags.values]) {
      const raw = layer.get(spec.key);
      if (raw === undefined) continue;
      value = coerceValue(spec, raw);
      sources.set(spec.key, raw.source);
    }
    setPath(config, configPath(spec), value);
  }
  checkConsistency(config as unknown as Config, sources);
  return { config: config as unknown as Config, positionals: flags.positionals, configFile };
}

/** The configuration with every default and nothing else (relative defaults resolved against cwd). */
export function defaultConfig(cwd: string = process.cwd()): Config {
  return loadConfig({ argv: [], env: {}, cwd });
}

function defaultValue(spec: KeySpec, cwd: string): ConfigValue | undefined {
  if (spec.default === undefined) return undefined;
  if (spec.type === 'path') return resolve(cwd, spec.default);
  if (spec.type === 'list') return [...spec.default];
  return spec.default;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
