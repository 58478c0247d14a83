// XEP-0124 section 11 (Overactivity) and section 12 (Polling Sessions): when a client is making requests
// too often or too many at once, and the session ends with 'policy-violation'. Only "new" requests count
// (an incremented rid, not a resend); the checks run as each one arrives.

import type { BoshSessionParams } from './session-params.js';

export interface NewRequestFacts {
  readonly rid: number;
  readonly arrivedAt: number;
  /** Requests received and not yet answered, this one included. */
  readonly unanswered: number;
  /** No payload and no pause, terminate or restart: a bare poll. */
  readonly empty: boolean;
  /** Section 11 lets the client make one request beyond 'requests' to pause or terminate. */
  readonly pauseOrTerminate: boolean;
}

/** What the session remembers of the request before, for section 12. */
export interface PreviousRequest {
  readonly rid: number;
  readonly arrivedAt: number;
  readonly empty: boolean;
  answered: boolean;
  answeredWithPayload: boolean;
}

/** The rule the request breaks, if any. */
export type ActivityViolation = 'too-many-requests' | 'polling-too-often' | undefined;

export function checkNewRequest(
  params: BoshSessionParams,
  request: NewRequestFacts,
  previous: PreviousRequest | undefined,
): ActivityViolation {
  if (request.unanswered > params.requests + (request.pauseOrTerminate ? 1 : 0)) return 'too-many-requests';
  // "If the connection manager did not specify a 'polling' attribute ... it MUST allow" any rate; 0 is our "off".
  if (params.polling === 0 || !request.empty || previous === undefined) return undefined;
  const tooSoon = request.arrivedAt - previous.arrivedAt < params.polling * 1000;
  if (!tooSoon) return undefined;
  if (params.pollingSession) {
    // Section 12: two consecutive empty polls, and the first was answered without payloads.
    const consecutive = previous.rid === request.rid - 1 && previous.empty;
    return consecutive && previous.answered && !previous.answeredWithPayload ? 'polling-too-often' : undefined;
  }
  // Section 11: all 'requests' slots taken by requests none of which was answered, the last one a bare poll.
  return request.unanswered === params.requests ? 'polling-too-often' : undefined;
}
