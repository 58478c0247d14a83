// XEP-0124 section 9.2 (response acknowledgements): a client that sent ack='1' tells, with each request, the
// highest rid whose response it has (a missing 'ack' meaning all of them). Acknowledged responses leave the
// retransmission cache; an 'ack' below the last answered rid means a response went missing, and the next
// answer carries 'report' (the missing rid) and 'time' (milliseconds since it was sent).

import { MAX_RID, parseBoundedInteger } from '../../protocol/xep0124.js';
import type { ResponseCache } from './response-cache.js';
import type { BoshClock } from './types.js';

export class ClientAcknowledgements {
  private lastAnsweredRid = 0;
  private report: { rid: number; time: number } | null = null;

  constructor(
    private readonly cache: ResponseCache,
    private readonly clock: BoshClock,
  ) {}

  answered(rid: number): void {
    this.lastAnsweredRid = Math.max(this.lastAnsweredRid, rid);
  }

  /** Reads the 'ack' of request `rid`; false when it is not a number. */
  read(rid: number, value: string | undefined): boolean {
    const ack = value === undefined ? rid - 1 : parseBoundedInteger(value, 0, MAX_RID);
    if (ack === undefined) return false;
    if (ack >= rid) return true;
    const missing = this.cache.get(ack + 1);
    if (ack < this.lastAnsweredRid && missing) this.report = { rid: ack + 1, time: Math.round(this.clock.now() - missing.sentAt) };
    this.cache.forgetThrough(ack);
    return true;
  }

  /** A report is waiting: the next answer should go out at once to carry it. */
  get reportDue(): boolean {
    return this.report !== null;
  }

  /** Adds 'report' and 'time' to `attrs` if a report is due. */
  addReport(attrs: Record<string, string>): void {
    if (!this.report) return;
    attrs.report = String(this.report.rid);
    attrs.time = String(this.report.time);
    this.report = null;
  }
}
