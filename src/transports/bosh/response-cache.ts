// XEP-0124 section 14.3 (Broken Connections): the connection manager keeps the responses to the client's
// latest requests so that a resent rid gets the identical <body/> back. It keeps as many as the client may
// have in flight ('requests'), or, when the client acknowledges (section 9.2), every unacknowledged one up
// to a cap. Pause and error responses are never stored (the caller does not offer them).

import type { BoshResponse } from './types.js';

export interface CachedResponse {
  readonly rid: number;
  readonly response: BoshResponse;
  /** Clock time it was handed to the adapter, for the 'time' of a section 9.2 report. */
  readonly sentAt: number;
  /** Times the client asked for it again, for rate-limiting resends. */
  resends: number;
}

export class ResponseCache {
  private readonly entries = new Map<number, CachedResponse>();

  constructor(private readonly capacity: number) {}

  put(rid: number, response: BoshResponse, sentAt: number): void {
    this.entries.set(rid, { rid, response, sentAt, resends: 0 });
    while (this.entries.size > this.capacity) this.entries.delete(this.oldestRid()!);
  }

  get(rid: number): CachedResponse | undefined {
    return this.entries.get(rid);
  }

  /** Forgets responses the client has acknowledged receiving (rid <= ack). */
  forgetThrough(ack: number): void {
    for (const rid of [...this.entries.keys()]) if (rid <= ack) this.entries.delete(rid);
  }

  get size(): number {
    return this.entries.size;
  }

  rids(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  // Responses are normally stored in rid order, but an aborted request is settled out of turn.
  private oldestRid(): number | undefined {
    let min: number | undefined;
    for (const rid of this.entries.keys()) if (min === undefined || rid < min) min = rid;
    return min;
  }
}
