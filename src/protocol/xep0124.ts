// XEP-0124 (BOSH) v1.11 and XEP-0206 (XMPP over BOSH) v1.4: reading the attributes of a request's
// <body/> wrapper (sections 7.1, 9, 10, 13, 14, 15) and rendering the <body/> of a response (sections
// 7.2, 8, 17; XEP-0206 sections 3-4). No session logic here: that lives in src/transports/bosh/.

import { escapeAttribute } from '../xml/escape.js';
import { NS } from './namespaces.js';

/** The BOSH version this connection manager implements (section 7.2 'ver'). */
export const BOSH_VERSION = '1.11';
export const DEFAULT_BOSH_CONTENT_TYPE = 'text/xml; charset=utf-8';
/** Section 14.1: rids must stay representable as IEEE doubles. */
export const MAX_RID = Number.MAX_SAFE_INTEGER;

/** Section 17.2: the terminal binding conditions. */
export const BOSH_CONDITIONS = [
  'bad-request',
  'host-gone',
  'host-unknown',
  'improper-addressing',
  'internal-server-error',
  'item-not-found',
  'other-request',
  'policy-violation',
  'remote-connection-failed',
  'remote-stream-error',
  'see-other-uri',
  'system-shutdown',
  'undefined-condition',
] as const;
export type BoshCondition = (typeof BOSH_CONDITIONS)[number];

/** Section 17.1: the deprecated HTTP codes a legacy client (one that sent no 'ver') gets instead. */
const LEGACY_HTTP_STATUS: Partial<Record<BoshCondition, number>> = {
  'bad-request': 400,
  'policy-violation': 403,
  'item-not-found': 404,
};

/** The HTTP status of a terminal response: 200 except for the three starred conditions with legacy clients. */
export function terminalHttpStatus(condition: BoshCondition | undefined, legacyClient: boolean): number {
  if (!legacyClient || condition === undefined) return 200;
  return LEGACY_HTTP_STATUS[condition] ?? 200;
}

/** A plain decimal integer in [min, max], or undefined: signs, exponents, hex and fractions are syntax errors. */
export function parseBoundedInteger(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !/^[0-9]{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/** Section 14.1: a positive integer at most 2^53-1. */
export function parseRid(value: string | undefined): number | undefined {
  return parseBoundedInteger(value, 1, MAX_RID);
}

export interface BoshVersion {
  major: number;
  minor: number;
}

/** Section 7.1 'ver': "<major>.<minor>", the minor compared as a separate integer (1.11 > 1.6). */
export function parseBoshVersion(value: string | undefined): BoshVersion | undefined {
  if (value === undefined) return undefined;
  const m = /^([0-9]{1,4})\.([0-9]{1,4})$/.exec(value);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function compareBoshVersions(a: BoshVersion, b: BoshVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function formatBoshVersion(v: BoshVersion): string {
  return `${v.major}.${v.minor}`;
}

/**
 * An attribute in the XEP-0206 'urn:xmpp:xbosh' namespace (e.g. 'restart', 'version'), found through the
 * prefix the client declared on <body/>. Clients that use the conventional 'xmpp:' prefix without declaring
 * it are tolerated, as Prosody and ejabberd do.
 */
export function xboshAttribute(attrs: Record<string, string>, localName: string): string | undefined {
  for (const key in attrs) {
    if (key.startsWith('xmlns:') && attrs[key] === NS.XBOSH) {
      const value = attrs[`${key.slice(6)}:${localName}`];
      if (value !== undefined) return value;
    }
  }
  return attrs[`xmpp:${localName}`];
}

/** XML Schema boolean, as used by 'xmpp:restart' (XEP-0206 section 5). */
export function isXmlTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** Section 15: keys are hex SHA-1 digests. */
export function isBoshKey(value: string | undefined): value is string {
  return value !== undefined && /^[0-9a-fA-F]{40}$/.test(value);
}

/**
 * Renders a response <body/>: the httpbind namespace, 'xmlns:stream' whenever it carries payloads (XEP-0206
 * section 2 requires it around <stream:features/>) or `declareStream` asks for it, 'xmlns:xmpp' when an
 * 'xmpp:' attribute is present, then `attrs` in order, then the already serialised payloads.
 */
export function renderBoshBody(attrs: Record<string, string>, payload: readonly string[], declareStream = false): string {
  let open = `<body xmlns='${NS.HTTPBIND}'`;
  let usesXmpp = false;
  for (const key in attrs) if (key.startsWith('xmpp:')) usesXmpp = true;
  if (usesXmpp) open += ` xmlns:xmpp='${NS.XBOSH}'`;
  if (payload.length > 0 || declareStream) open += ` xmlns:stream='${NS.STREAM}'`;
  for (const key in attrs) open += ` ${key}='${escapeAttribute(attrs[key]!)}'`;
  if (payload.length === 0) return open + '/>';
  return open + '>' + payload.join('') + '</body>';
}
