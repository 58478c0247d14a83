// The size limit on one stanza (RFC 6120 section 13.12, denial of service), counted in the UTF-8 bytes
// that went over the wire while the stanza arrives, so an oversized stanza is refused before it has
// been buffered. Counting is cheap: ASCII input is counted by length; other input is counted per
// UTF-16 unit first (at most 3 UTF-8 bytes each, a surrogate pair 4) and converted to exact bytes only
// when the unit might be near the limit, or before the chunk it was read from is dropped.

const NON_ASCII = /[^\x00-\x7f]/;

export function utf8Length(s: string, from: number, to: number): number {
  let n = to - from;
  for (let p = from; p < to; p++) {
    const c = s.charCodeAt(p);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if ((c & 0xfc00) === 0xd800 && p + 1 < to && (s.charCodeAt(p + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      p++;
    } else n += 2;
  }
  return n;
}

export class UnitBudget {
  /** Bytes of the unit so far: exact, except that s[lazyFrom, lazyTo) is counted one per UTF-16 unit. */
  private used = 0;
  private lazyFrom = -1;
  private lazyTo = 0;
  private ascii = true;

  constructor(readonly max: number) {}

  /** Each chunk, before it is scanned (after settle() on the previous one). */
  beginChunk(s: string): void {
    this.ascii = !NON_ASCII.test(s);
  }

  /** A new unit starts. */
  start(): void {
    this.used = 0;
    this.lazyFrom = -1;
  }

  byteLength(s: string, from: number, to: number): number {
    return this.ascii ? to - from : utf8Length(s, from, to);
  }

  /** Counts s[from, to), which must directly follow what was counted before in this chunk; false when over the limit. */
  charge(s: string, from: number, to: number): boolean {
    this.used += to - from;
    if (!this.ascii) {
      if (this.lazyFrom === -1) this.lazyFrom = from;
      this.lazyTo = to;
      if (this.used + 2 * (to - this.lazyFrom) <= this.max) return true;
      this.settle(s);
    }
    return this.used <= this.max;
  }

  /** Makes the count exact; required before the chunk `s` is dropped. */
  settle(s: string): void {
    if (this.lazyFrom === -1) return;
    this.used += utf8Length(s, this.lazyFrom, this.lazyTo) - (this.lazyTo - this.lazyFrom);
    this.lazyFrom = -1;
  }

  /** The exact bytes of the unit so far. */
  total(s: string): number {
    this.settle(s);
    return this.used;
  }

  /** Counts `size` exactly measured bytes; false when over the limit. */
  add(size: number): boolean {
    this.used += size;
    return this.used <= this.max;
  }
}
