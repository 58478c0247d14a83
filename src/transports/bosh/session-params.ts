// XEP-0124 section 7.1 (session creation request), 7.2 (what the connection manager grants), 12 (polling
// sessions) and 15 (the initial 'newkey'); XEP-0206 section 3 ('xmpp:version'). Turns the attributes of a
// creation <body/> into the session's negotiated parameters, or the terminal condition that refuses it.

import {
  BOSH_VERSION,
  DEFAULT_BOSH_CONTENT_TYPE,
  compareBoshVersions,
  formatBoshVersion,
  isBoshKey,
  parseBoshVersion,
  parseBoundedInteger,
  parseRid,
  type BoshCondition,
} from '../../protocol/xep0124.js';
import type { BoshLimits } from './config.js';

export interface BoshSessionParams {
  /** The creation request's rid: the session's rids start after it. */
  readonly initialRid: number;
  readonly to: string;
  /** Seconds a request may be held (section 7.2 'wait', at most the client's). */
  readonly wait: number;
  /** Requests held at once (section 7.2 'hold', at most the client's). */
  readonly hold: number;
  /** Simultaneous requests allowed, hold + 1; also the rid window (section 14.2). */
  readonly requests: number;
  /** Seconds without a held request before the session ends (section 10). */
  readonly inactivity: number;
  readonly polling: number;
  /** 0 when pausing is not offered. */
  readonly maxPause: number;
  /** 'wait' or 'hold' of 0 (section 12): every request is answered at once. */
  readonly pollingSession: boolean;
  /** The version answered: the lower of ours and the client's; undefined for a legacy client. */
  readonly ver: string | undefined;
  /** No 'ver' in the request: starred conditions become HTTP 400/403/404 (section 17.1). */
  readonly legacy: boolean;
  readonly contentType: string;
  /** The client sent ack='1' (section 9.2); the connection manager then acknowledges too (section 9.1). */
  readonly acks: boolean;
  /** K(n) when key sequencing is used (section 15.3). */
  readonly newkey: string | undefined;
}

export type BoshNegotiation =
  | { readonly ok: true; readonly params: BoshSessionParams }
  | { readonly ok: false; readonly condition: BoshCondition; readonly legacy: boolean };

const OURS = parseBoshVersion(BOSH_VERSION)!;
/** Response attribute values must fit the schema's xs:short. */
const MAX_SECONDS = 32767;
// A Content-Type goes into an HTTP header verbatim: only visible ASCII and spaces.
const CONTENT_TYPE = /^[\x20-\x7e]{1,200}$/;

export function negotiateSession(
  attrs: Record<string, string>,
  limits: BoshLimits,
  isHostServed: (domain: string) => boolean,
): BoshNegotiation {
  const legacy = attrs.ver === undefined;
  const refuse = (condition: BoshCondition): BoshNegotiation => ({ ok: false, condition, legacy });

  const rid = parseRid(attrs.rid);
  if (rid === undefined) return refuse('bad-request');
  let ver: string | undefined;
  if (!legacy) {
    const theirs = parseBoshVersion(attrs.ver);
    if (!theirs) return refuse('bad-request');
    ver = formatBoshVersion(compareBoshVersions(theirs, OURS) < 0 ? theirs : OURS);
  }
  const to = attrs.to;
  if (to === undefined || to === '') return refuse('improper-addressing');
  if (!isHostServed(to)) return refuse('host-unknown');

  const askedWait = attrs.wait === undefined ? limits.maxWait : parseBoundedInteger(attrs.wait, 0, Number.MAX_SAFE_INTEGER);
  const askedHold = attrs.hold === undefined ? 1 : parseBoundedInteger(attrs.hold, 0, Number.MAX_SAFE_INTEGER);
  if (askedWait === undefined || askedHold === undefined) return refuse('bad-request');
  const content = attrs.content;
  if (content !== undefined && !CONTENT_TYPE.test(content)) return refuse('bad-request');
  const newkey = attrs.newkey;
  if (newkey !== undefined && !isBoshKey(newkey)) return refuse('bad-request');

  const wait = Math.min(askedWait, limits.maxWait, MAX_SECONDS);
  const hold = Math.min(askedHold, limits.maxHold);
  const pollingSession = wait === 0 || hold === 0;
  const polling = Math.min(limits.pollingInterval, MAX_SECONDS);
  // Section 12: a polling client is silent between polls, so it gets more than one polling interval extra.
  const inactivity = Math.min(limits.maxInactivity + (pollingSession ? 2 * polling : 0), MAX_SECONDS);
  return {
    ok: true,
    params: {
      initialRid: rid,
      to,
      wait,
      hold,
      requests: hold + 1,
      inactivity,
      polling,
      maxPause: Math.min(limits.maxPause, MAX_SECONDS),
      pollingSession,
      ver,
      legacy,
      contentType: content ?? DEFAULT_BOSH_CONTENT_TYPE,
      acks: attrs.ack === '1',
      newkey,
    },
  };
}
