// docs/CONFIGURATION.md, rendered from the schema table (DESIGN.md section 6) so that the document
// cannot drift from what the loader accepts. test/config/docs.test.ts fails when the committed file
// differs from this rendering; regenerate it with write-docs.ts.

import { FORMAT_PLURAL, FORMAT_TEXT } from './coerce.js';
import { CONSISTENCY_RULES } from './consistency.js';
import { CONFIG_FILE_ENV, envName, flagNames, groupOf } from './names.js';
import { CONFIG_KEYS, type KeySpec } from './schema.js';

/** A small but realistic file; a test checks that every key in it is known and valid. */
export const EXAMPLE_TOML = `domain = "calendar.example.com"
data_dir = "/var/lib/almanac"
listen = "0.0.0.0"
admins = ["admin@calendar.example.com"]

[tls]
cert_file = "/etc/almanac/fullchain.pem"
key_file = "/etc/almanac/privkey.pem"

[limits]
max_stanza_bytes = 262144

[bosh]
cors_origins = ["https://app.example.com"]
`;

export function renderConfigurationDoc(): string {
  const out: string[] = [];
  out.push(
    '# Configuration',
    '',
    '<!-- Generated from src/config/schema.ts by `node dist/src/config/write-docs.js`. Do not edit by hand. -->',
    '',
    'Every setting can come from four places. The first one that sets a key wins:',
    '',
    '1. a command-line flag: `--c2s-port 5222`, `--limits-max-stanza-bytes 262144`;',
    '2. an environment variable: `ALMANAC_C2S_PORT=5222`, `ALMANAC_LIMITS_MAX_STANZA_BYTES=262144`;',
    `3. the TOML file named by \`--config FILE\` or \`${CONFIG_FILE_ENV}\` (there is no implicit file);`,
    '4. the default.',
    '',
    'Names are derived from the TOML key: a flag is the key in kebab-case with its group as a prefix',
    '(`limits.max_stanza_bytes` is `--limits-max-stanza-bytes`); an environment variable is `ALMANAC_`',
    'and the key in upper case with `_` for `.`. In the file, a group is a table (`[limits]`) or a dotted',
    'key (`limits.max_stanza_bytes = 262144`).',
    '',
    '- Booleans: `--demo` / `--no-demo` on the command line; `true`, `false`, `yes`, `no`, `on`, `off`, `1`',
    '  or `0` in the environment; TOML booleans in the file.',
    '- Lists: comma-separated on the command line and in the environment (`--admins a@example.com,b@example.com`),',
    '  TOML arrays of strings in the file.',
    '- Relative paths are resolved against the working directory (flags, environment, defaults) or against',
    "  the file's own directory (values in the file).",
    '- Every value given is validated, even one that a higher source overrides.',
    '- A port of 0 picks a free port; the server prints the ports it bound on its `ready` line.',
    '- An empty environment variable counts as unset. `ALMANAC_*` variables that name no key are ignored.',
    '- An unknown flag or an unknown key in the file is an error, as is a value of the wrong type in the file',
    '  (`c2s_port = "5222"` is a string, not an integer).',
    '',
    'Bad configuration stops start-up with exit code 2 and one line naming the key, what is wrong and where',
    'the value came from:',
    '',
    '```',
    'config error: c2s_port: must be an integer 0..65535, got "abc" (from ALMANAC_C2S_PORT)',
    '```',
    '',
    'Rules across keys:',
    '',
    ...CONSISTENCY_RULES.map((rule) => `- ${rule}`),
    '',
    '## Example',
    '',
    '```toml',
    EXAMPLE_TOML.trimEnd(),
    '```',
  );

  const groups = new Map<string, KeySpec[]>();
  for (const spec of CONFIG_KEYS) {
    const group = groupOf(spec.key) ?? '';
    groups.set(group, [...(groups.get(group) ?? []), spec]);
  }
  for (const [group, specs] of groups) {
    out.push('', group === '' ? '## Top-level keys' : `## [${group}]`, '');
    out.push('| TOML key | flag | environment variable | default | allowed values | description |');
    out.push('|---|---|---|---|---|---|');
    for (const spec of specs) {
      const flags = flagNames(spec).map((name) => (spec.type === 'boolean' ? `\`--${name}\`, \`--no-${name}\`` : `\`--${name}\``));
      const cells = [`\`${spec.key}\``, flags.join(', '), `\`${envName(spec)}\``, defaultText(spec), allowedText(spec), spec.description];
      out.push(`| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
    }
  }
  out.push('');
  return out.join('\n');
}

/** The default as it would be written in the TOML file, or "unset". */
export function defaultText(spec: KeySpec): string {
  if (spec.default === undefined) return 'unset';
  if (typeof spec.default === 'string') return `\`"${spec.default}"\``;
  if (Array.isArray(spec.default)) return `\`[${spec.default.map((item) => `"${item}"`).join(', ')}]\``;
  return `\`${String(spec.default)}\``;
}

/** The values a key accepts, in words. */
export function allowedText(spec: KeySpec): string {
  switch (spec.type) {
    case 'integer':
      return `integer ${spec.min}..${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return spec.values.map((value) => `\`${value}\``).join(', ');
    case 'text':
      return FORMAT_TEXT[spec.format];
    case 'path':
      return 'a path';
    case 'list':
      return `list of ${FORMAT_PLURAL[spec.format]}`;
  }
}
