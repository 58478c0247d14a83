// REST request rate per token (DESIGN.md section 8, `limits.rest_requests_per_minute`): a token
// bucket per token, refilled continuously, with a minute's worth of burst. Beyond it: 429 with
// Retry-After and a JSON body (RFC 6585 section 4), so one client cannot starve the others.

import { TokenBucket } from '../../core/token-bucket.js';

export class RequestRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** True when the request may proceed; false when the token is over its rate. */
  take(token: string): boolean {
    let bucket = this.buckets.get(token);
    if (!bucket) {
      // A bound on memory: forgetting every bucket only ever lets clients through, never locks them out.
      if (this.buckets.size >= 100_000) this.buckets.clear();
      bucket = new TokenBucket(this.perMinute / 60, this.perMinute, this.now);
      this.buckets.set(token, bucket);
    }
    return bucket.take(1);
  }

  /** Seconds until one more request is allowed (for Retry-After). */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(60 / this.perMinute));
  }
}
