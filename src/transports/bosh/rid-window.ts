// XEP-0124 section 14.2 (in-order message forwarding): requests are processed strictly in rid order. The
// window is the next `size` rids after the last processed one; a request that arrives ahead of a gap waits
// here until the missing rids come in.

export type RidPlace =
  /** At or below the last processed rid: a resend (section 14.3). */
  | 'processed'
  /** Already waiting ahead of a gap: a resend of a request not processed yet. */
  | 'waiting'
  /** Beyond the window: 'item-not-found' (section 14.2). */
  | 'outside'
  | 'new';

export class RidWindow<T extends { readonly rid: number }> {
  private readonly early = new Map<number, T>();

  constructor(
    private lastRid: number,
    private readonly size: number,
  ) {}

  /** The highest rid processed; every rid up to it has been received. */
  get last(): number {
    return this.lastRid;
  }

  /** `oneMore` widens the window by one (section 11 lets a pause or terminate exceed 'requests'). */
  place(rid: number, oneMore: boolean): RidPlace {
    if (rid <= this.lastRid) return 'processed';
    if (this.early.has(rid)) return 'waiting';
    return rid > this.lastRid + this.size + (oneMore ? 1 : 0) ? 'outside' : 'new';
  }

  waitingFor(rid: number): T | undefined {
    return this.early.get(rid);
  }

  add(entry: T): void {
    this.early.set(entry.rid, entry);
  }

  /** The request that comes next in rid order, if it has arrived; the window moves past it. */
  takeNext(): T | undefined {
    const next = this.early.get(this.lastRid + 1);
    if (!next) return undefined;
    this.early.delete(next.rid);
    this.lastRid = next.rid;
    return next;
  }

  /** Requests received but not processed yet. */
  get waitingCount(): number {
    return this.early.size;
  }

  /** The waiting request with the highest rid. */
  newest(): T | undefined {
    let newest: T | undefined;
    for (const entry of this.early.values()) if (!newest || entry.rid > newest.rid) newest = entry;
    return newest;
  }

  /** What waits, in rid order. */
  waiting(): T[] {
    return [...this.early.values()].sort((a, b) => a.rid - b.rid);
  }

  /** Empties the window, returning what waited in rid order. */
  drain(): T[] {
    const all = this.waiting();
    this.early.clear();
    return all;
  }
}
