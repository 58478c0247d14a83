// A token bucket for per-stream rate limits (DESIGN.md section 8: bytes and stanzas per second per
// connection). It refills continuously at `rate` per second up to `burst`; take() fails once the
// sender has outrun it, and the transport answers with policy-violation (RFC 6120 4.9.3.15).

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  take(amount: number): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    this.tokens -= amount;
    return this.tokens >= 0;
  }
}
