// Help texts of the CLI (DESIGN.md section 6). The flag list is rendered from the configuration schema,
// so every key documented in docs/CONFIGURATION.md is also listed by `almanac serve --help`.

import { CONFIG_FILE_ENV, envName, flagNames } from '../config/names.js';
import { CONFIG_KEYS, type KeySpec } from '../config/schema.js';

export const COMMANDS = ['serve', 'user', 'token', 'connection-manager'] as const;
export type CommandName = (typeof COMMANDS)[number];

const SYNOPSIS: Record<CommandName, string[]> = {
  serve: ['almanac serve [--config FILE] [flags]'],
  user: [
    'almanac user add JID PASSWORD       create an account (PASSWORD - reads it from stdin)',
    'almanac user passwd JID PASSWORD    set a new password (PASSWORD - reads it from stdin)',
    'almanac user remove JID             delete an account and revoke its tokens',
    'almanac user list                   print every account, one JID a line',
  ],
  token: ['almanac token create JID           print a new REST/XMPP token for the account'],
  'connection-manager': ['almanac connection-manager --upstream HOST:PORT [--http-port N] [flags]'],
};

const SUMMARY: Record<CommandName, string> = {
  serve: 'Runs the server. It prints one line starting with "ready" and naming its ports once it accepts\nconnections, and stops cleanly on SIGINT or SIGTERM.',
  user: 'Manages accounts in the storage the server uses (the same --data-dir, --storage and --domain).\nJID is user@domain or just user; the domain must be the configured one.',
  token: 'Issues a token usable as "Authorization: Token <t>" on the REST API and through SASL OAUTHBEARER\nor X-OAUTH2 on XMPP. Only the token is printed, so that scripts can capture it.',
  'connection-manager':
    'Serves BOSH and WebSocket in front of any XMPP server, relaying each session to --upstream.\nIt prints a "ready" line naming its ports and stops on SIGINT or SIGTERM.',
};

export function generalUsage(): string {
  return [
    'usage:',
    ...COMMANDS.flatMap((command) => SYNOPSIS[command].map((line) => `  ${line.replace(/\s{2,}.*$/, '')}`)),
    '  almanac --help | --version',
    '',
    'Run "almanac help COMMAND" (or "almanac COMMAND --help") for details and every flag.',
    'Every flag is also a key of the TOML file named by --config and an ALMANAC_* environment variable;',
    'see docs/CONFIGURATION.md.',
  ].join('\n');
}

export function commandUsage(command: CommandName): string {
  const lines = ['usage:', ...SYNOPSIS[command].map((line) => `  ${line}`), '', SUMMARY[command], ''];
  lines.push(command === 'serve' || command === 'connection-manager' ? 'flags:' : 'flags (the same as for serve; these matter here):');
  lines.push(...flagLines(command));
  lines.push('', `Precedence: flags > ALMANAC_* environment > TOML file > defaults. See docs/CONFIGURATION.md.`);
  lines.push('Exit codes: 0 done, 1 the operation failed, 2 bad command line or configuration.');
  return lines.join('\n');
}

const STORAGE_KEYS = new Set(['domain', 'data_dir', 'storage', 'postgres_url']);

function flagLines(command: CommandName): string[] {
  const specs = CONFIG_KEYS.filter((spec) =>
    command === 'user' || command === 'token' ? STORAGE_KEYS.has(spec.key) : command === 'connection-manager' || !spec.key.startsWith('connection_manager.'),
  );
  const rows: [string, string][] = [[`--config FILE`, `TOML configuration file (also ${CONFIG_FILE_ENV})`]];
  for (const spec of specs) {
    const name = command === 'connection-manager' ? flagNames(spec).at(-1)! : flagNames(spec)[0]!;
    const flag = spec.type === 'boolean' ? `--[no-]${name}` : `--${name} ${placeholder(spec)}`;
    const fallback = spec.default === undefined ? '' : ` (default ${Array.isArray(spec.default) ? spec.default.join(',') || 'none' : String(spec.default)})`;
    rows.push([flag, `${firstSentence(spec.description)}${fallback} [${envName(spec)}]`]);
  }
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)));
  const indent = ' '.repeat(width + 4);
  return rows.map(([flag, text]) => {
    const wrapped = wrap(text, LINE_WIDTH - indent.length).join(`\n${indent}`);
    return flag.length > width ? `  ${flag}\n${indent}${wrapped}` : `  ${flag.padEnd(width)}  ${wrapped}`;
  });
}

const LINE_WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

function placeholder(spec: KeySpec): string {
  switch (spec.type) {
    case 'integer':
      return 'N';
    case 'enum':
      return spec.values.join('|');
    case 'path':
      return spec.key.endsWith('_dir') ? 'DIR' : 'FILE';
    case 'list':
      return 'A,B,...';
    case 'text':
      return { domain: 'DOMAIN', address: 'ADDR', 'postgres-url': 'URL', 'redis-url': 'URL', text: 'TEXT', origin: 'ORIGIN', 'bare-jid': 'JID', 'host-port': 'HOST:PORT' }[spec.format];
    case 'boolean':
      return '';
  }
}

function firstSentence(text: string): string {
  const end = text.search(/[.;](\s|$)/);
  return end < 0 ? text : text.slice(0, end);
}
