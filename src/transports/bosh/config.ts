// XEP-0124 sections 7.2, 10, 11, 12 and 14.3: the connection manager's limits, with defaults close to what
// deployed connection managers use (shared/conformance/bosh.md, table 3.14).

import type { BoshSession } from './session.js';
import type { BoshCondition } from '../../protocol/xep0124.js';
import type { BoshClock, BoshStreamSink } from './types.js';

export interface BoshManagerOptions {
  /** Builds the stream engine side of a new session; called before the session's stream is opened. */
  createSink(session: BoshSession): BoshStreamSink;
  /** Whether 'to' names a domain served here; false answers 'host-unknown' (section 17.2). */
  isHostServed(domain: string): boolean;
  /**
   * A last check of a creation request the engine accepted, before any session exists: a proxy connection
   * manager refuses a 'route' it may not use here (section 7.1, conditions of section 17.2).
   */
  refuseCreation?(attrs: Readonly<Record<string, string>>): BoshCondition | undefined;
  clock?: BoshClock;
  /** Longest 'wait' granted, seconds (ejabberd caps at 300, Strophe asks for 60). Default 60. */
  maxWait?: number;
  /** Most requests held at once; a client asking for more gets this many. Default 1. */
  maxHold?: number;
  /** Seconds without a held request before the session is dropped (section 10). Default 60. */
  maxInactivity?: number;
  /** Shortest interval between empty polls, seconds (sections 11-12). Default 2. */
  pollingInterval?: number;
  /** Longest pause a client may ask for, seconds; 0 disables pausing (section 10). Default 120. */
  maxPause?: number;
  /** Sessions in total; beyond it creation fails with 'internal-server-error'. Default 10000. */
  maxSessions?: number;
  /** Sessions per client address; beyond it creation fails with 'policy-violation'. Default 50. */
  maxSessionsPerAddress?: number;
  /** Responses kept for retransmission when the client acknowledges (section 14.3). Default 32. */
  maxUnackedResponses?: number;
  /** Retransmissions of one rid before 'policy-violation' (section 14.3 allows rate-limiting). Default 20. */
  maxResendsPerRid?: number;
  /** Bytes of undelivered outgoing stanzas before the session is cut off ('undefined-condition'). Default 1 MiB. */
  maxQueuedBytes?: number;
  /** 'accept' to advertise: only encodings the adapter can decompress in request bodies (section 7.2). */
  accept?: string;
  /** 'charsets' to advertise, space-separated (section 7.2); omitted when only UTF-8 is understood. */
  charsets?: string;
}

export interface BoshLimits {
  maxWait: number;
  maxHold: number;
  maxInactivity: number;
  pollingInterval: number;
  maxPause: number;
  maxSessions: number;
  maxSessionsPerAddress: number;
  maxUnackedResponses: number;
  maxResendsPerRid: number;
  maxQueuedBytes: number;
  accept: string | undefined;
  charsets: string | undefined;
}

function bounded(value: number | undefined, fallback: number, min: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`bosh: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

export function resolveBoshLimits(options: BoshManagerOptions): BoshLimits {
  return {
    maxWait: bounded(options.maxWait, 60, 1, 'maxWait'),
    maxHold: bounded(options.maxHold, 1, 0, 'maxHold'),
    maxInactivity: bounded(options.maxInactivity, 60, 1, 'maxInactivity'),
    pollingInterval: bounded(options.pollingInterval, 2, 0, 'pollingInterval'),
    maxPause: bounded(options.maxPause, 120, 0, 'maxPause'),
    maxSessions: bounded(options.maxSessions, 10000, 1, 'maxSessions'),
    maxSessionsPerAddress: bounded(options.maxSessionsPerAddress, 50, 1, 'maxSessionsPerAddress'),
    maxUnackedResponses: bounded(options.maxUnackedResponses, 32, 1, 'maxUnackedResponses'),
    maxResendsPerRid: bounded(options.maxResendsPerRid, 20, 1, 'maxResendsPerRid'),
    maxQueuedBytes: bounded(options.maxQueuedBytes, 1 << 20, 1, 'maxQueuedBytes'),
    accept: options.accept,
    charsets: options.charsets,
  };
}
