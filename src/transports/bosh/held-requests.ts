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
  /** Its section 8 'wait' timer while held (kept on the entry: no per-request map entry to add and remove). */
  waitTimer?: BoshTimer;
}

export class HeldRequests {
  private readonly held: PendingRequest[] = [];

  constructor(private readonly clock: BoshClock) {}

  /** Keeps `pending` until released; `expired` runs if it is still here after `waitMs`. */
  hold(pending: PendingRequest, waitMs: number, expired: (pending: PendingRequest) => void): void {
    this.held.push(pending);
    pending.waitTimer = this.clock.setTimer(waitMs, () => {
      pending.waitTimer = undefined;
      expired(pending);
    });
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
    pending.waitTimer?.cancel();
    pending.waitTimer = undefined;
  }

  /** Releases everything, oldest first. */
  releaseAll(): PendingRequest[] {
    const all = [...this.held];
    for (const pending of all) this.release(pending);
    return all;
  }
}
