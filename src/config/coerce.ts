// Validation of one configuration value against its schema entry (DESIGN.md section 6: bad configuration
// names the key and what is wrong). Text sources (flags, environment) carry strings that are parsed here;
// the TOML file carries typed values that must already have the right type.
// Formats: XMPP domains and JIDs per RFC 7622 (normalised by src/jid, so they compare equal to the
// addresses the server sees), host names per RFC 1123, origins per RFC 6454, URLs per WHATWG URL.

import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { normalizeDomainpart, tryParseJid } from '../jid/index.js';
import { ConfigError } from './errors.js';
import type { KeySpec, TextFormat } from './schema.js';

/** A value as one source supplied it, before validation. */
export interface RawValue {
  value: unknown;
  /** `--c2s-port`, `ALMANAC_C2S_PORT` or the TOML file's path. */
  source: string;
  /** `text` values arrive as strings (flags, environment); `toml` values are typed. */
  origin: 'text' | 'toml';
  /** Relative paths are resolved against this directory. */
  baseDir: string;
}

export type ConfigValue = string | number | boolean | string[];

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

export function coerceValue(spec: KeySpec, raw: RawValue): ConfigValue {
  const fail = (problem: string): never => {
    throw new ConfigError(spec.key, spec.secret ? problem : `${problem}, got ${show(raw.value)}`, raw.source);
  };
  const { value } = raw;
  switch (spec.type) {
    case 'integer': {
      const expected = `must be an integer ${spec.min}..${spec.max}`;
      let n: number;
      if (raw.origin === 'text' && typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) n = Number(value.trim());
      else if (raw.origin === 'toml' && typeof value === 'number') n = value;
      else if (raw.origin === 'toml' && typeof value === 'bigint') n = Number(value);
      else return fail(expected);
      if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) return fail(expected);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (raw.origin === 'text' && typeof value === 'string') {
        const word = value.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      return fail('must be true or false');
    }
    case 'enum': {
      if (typeof value === 'string' && spec.values.includes(value)) return value;
      return fail(`must be one of ${spec.values.join(', ')}`);
    }
    case 'text': {
      if (typeof value !== 'string') return fail(`must be ${FORMAT_TEXT[spec.format]}`);
      const checked = checkFormat(spec.format, value.trim());
      return checked ?? fail(`must be ${FORMAT_TEXT[spec.format]}`);
    }
    case 'path': {
      if (typeof value !== 'string' || value.trim() === '') return fail('must be a non-empty path');
      return resolve(raw.baseDir, value.trim());
    }
    case 'list': {
      let items: unknown[];
      if (raw.origin === 'text' && typeof value === 'string') {
        items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
      } else if (Array.isArray(value)) {
        items = value;
      } else {
        return fail(`must be a list of ${FORMAT_PLURAL[spec.format]}`);
      }
      return items.map((item, index) => {
        const checked = typeof item === 'string' ? checkFormat(spec.format, item.trim()) : undefined;
        if (checked === undefined) {
          const problem = `item ${index + 1} must be ${FORMAT_TEXT[spec.format]}`;
          throw new ConfigError(spec.key, spec.secret ? problem : `${problem}, got ${show(item)}`, raw.source);
        }
        return checked;
      });
    }
  }
}

/** What each format expects, phrased to follow "must be". Also used by the generated docs. */
export const FORMAT_TEXT: Record<TextFormat, string> = {
  domain: 'a domain name like example.com',
  address: 'an IP address or host name',
  'postgres-url': 'a postgres:// or postgresql:// URL',
  'redis-url': 'a redis:// or rediss:// URL',
  text: 'non-empty text',
  origin: '* or an origin like https://app.example.com',
  'bare-jid': 'a bare JID like admin@example.com',
  'host-port': 'host:port with a port 1..65535',
};

/** The plural of FORMAT_TEXT's nouns, for lists. */
export const FORMAT_PLURAL: Record<TextFormat, string> = {
  domain: 'domain names',
  address: 'addresses',
  'postgres-url': 'PostgreSQL URLs',
  'redis-url': 'Redis URLs',
  text: 'texts',
  origin: 'origins',
  'bare-jid': 'bare JIDs',
  'host-port': 'host:port values',
};

/** The normalised value, or undefined when it does not have the format. */
export function checkFormat(format: TextFormat, value: string): string | undefined {
  switch (format) {
    case 'domain':
      return xmppDomain(value);
    case 'address':
      return isIP(value) !== 0 || isAsciiHostName(value) ? value.toLowerCase() : undefined;
    case 'postgres-url':
      return hasProtocol(value, ['postgres:', 'postgresql:']) ? value : undefined;
    case 'redis-url':
      return hasProtocol(value, ['redis:', 'rediss:']) ? value : undefined;
    case 'text':
      return value === '' ? undefined : value;
    case 'origin':
      return value === '*' ? value : originOf(value);
    case 'bare-jid':
      return bareJid(value);
    case 'host-port':
      return hostPort(value);
  }
}

function xmppDomain(value: string): string | undefined {
  try {
    return value === '' ? undefined : normalizeDomainpart(value);
  } catch {
    return undefined;
  }
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function isAsciiHostName(value: string): boolean {
  return value !== '' && value.length <= 253 && value.split('.').every((label) => HOST_LABEL.test(label));
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function bareJid(value: string): string | undefined {
  const jid = tryParseJid(value);
  return jid !== undefined && jid.local !== undefined && jid.resource === undefined ? jid.toString() : undefined;
}

function hostPort(value: string): string | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  if (match[1] !== undefined ? isIP(host) !== 6 : !(isIP(host) === 4 || isAsciiHostName(host))) return undefined;
  return value.toLowerCase();
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}
