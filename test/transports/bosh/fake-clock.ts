// A hand-moved clock for the BOSH engine's timers (XEP-0124 sections 8 and 10): time passes only in advance().

import type { BoshClock, BoshTimer } from '../../../src/transports/bosh/types.js';

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements BoshClock {
  private time = 0;
  private seq = 0;
  private timers: Scheduled[] = [];

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): BoshTimer {
    const timer: Scheduled = { at: this.time + ms, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward, firing due timers in order (earliest first, then in the order they were set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: Scheduled | undefined;
      for (const t of this.timers) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.time = next.at;
      next.cancelled = true;
      next.fn();
    }
    this.time = end;
  }

  advanceSeconds(s: number): void {
    this.advance(s * 1000);
  }

  /** Timers still waiting to fire. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
