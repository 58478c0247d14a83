// XEP-0124 section 8: requests the connection manager keeps waiting for data, oldest (lowest rid) first,
// each with its 'wait' timer. Answering them in this order is what keeps responses in rid order.

import type { BoshClock, BoshRequest, BoshTimer } from './types.js';

/** A request received and not answered yet. `request` is the latest copy when the client resent it. */
export interface PendingRequest {
  readonly rid: number;
  request: BoshRequest;
  /** False once the client closed the connection: nothing may be written into it. */
  connected: boolean;
  resends: number;
  /** The session creation request, whose answer carries the session attributes (section 7.2). */
  readonly creation: boolean;
}

export class HeldRequests {
  private readonly held: PendingRequest[] = [];
  private readonly timers = new Map<PendingRequest, BoshTimer>();

  constructor(private readonly clock: BoshClock) {}

  /** Keeps `pending` until released; `expired` runs if it is still here after `waitMs`. */
  hold(pending: PendingRequest, waitMs: number, expired: (pending: PendingRequest) => void): void {
    this.held.push(pending);
    this.timers.set(
      pending,
      this.clock.setTimer(waitMs, () => {
        this.timers.delete(pending);
        expired(pending);
      }),
    );
  }

  get oldest(): PendingRequest | undefined {
    return this.held[0];
  }

  get count(): number {
    return this.held.length;
  }

  has(pending: PendingRequest): boolean {
    return this.held.includes(pending);
  }

  find(rid: number): PendingRequest | undefined {
    return this.held.find((p) => p.rid === rid);
  }

  anyConnected(): boolean {
    return this.held.some((p) => p.connected);
  }

  release(pending: PendingRequest): void {
    const i = this.held.indexOf(pending);
    if (i !== -1) this.held.splice(i, 1);
    this.timers.get(pending)?.cancel();
    this.timers.delete(pending);
  }

  /** Releases everything, oldest first. */
  releaseAll(): PendingRequest[] {
    const all = [...this.held];
    for (const pending of all) this.release(pending);
    return all;
  }
}
