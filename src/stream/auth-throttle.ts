// RFC 6120 section 6.4.5 leaves retries to the server; DESIGN.md section 8 asks for failed
// authentications to be limited per address. A sliding one-minute window per remote address.

export class AuthThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxPerMinute: number, private readonly now: () => number = Date.now) {}

  /** True when the address has used up its failures for the current window. */
  isBlocked(address: string): boolean {
    return this.recent(address).length >= this.maxPerMinute;
  }

  recordFailure(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.set(address, list);
    if (this.failures.size > 100_000) this.prune();
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - 60_000;
    const list = (this.failures.get(address) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }

  private prune(): void {
    for (const address of [...this.failures.keys()]) this.recent(address);
  }
}
