// XEP-0124 sections 8 and 10 run on timers ('wait', 'inactivity', 'pause'); they go through this clock so
// that tests can move time by hand. Real timers are unref'd: a held request must not keep the process alive.

import type { BoshClock, BoshTimer } from './types.js';

export const systemClock: BoshClock = {
  now: () => performance.now(),
  setTimer(ms: number, fn: () => void): BoshTimer {
    return new SystemTimer(setTimeout(fn, ms).unref());
  },
};

/** Every held request starts one of these: a prototype method, not a closure per timer. */
class SystemTimer implements BoshTimer {
  constructor(private readonly handle: NodeJS.Timeout) {}

  cancel(): void {
    clearTimeout(this.handle);
  }
}
