// Counting deliveries without parsing XML: every payload the load generator sends carries one text
// marker, `<prefix><decimal number>.` (e.g. `bseq-1234.`), and a receiver only looks for those
// markers in the bytes it reads. Servers copy payload text unchanged (XEP-0060 section 7.1.2.1 for
// pubsub notifications, RFC 6121 section 8 for message bodies), so one marker means one delivery.
// A marker split across two reads is completed by carrying the unfinished tail into the next call.

export class MarkerScanner {
  private carry = '';

  constructor(
    private readonly prefix: string,
    private readonly onMarker: (value: number) => void,
  ) {}

  /** Scans one chunk; returns how many complete markers it finished. */
  feed(chunk: string): number {
    const s = this.carry.length === 0 ? chunk : this.carry + chunk;
    const prefix = this.prefix;
    const plen = prefix.length;
    let found = 0;
    let pos = 0;
    for (;;) {
      const at = s.indexOf(prefix, pos);
      if (at < 0) break;
      let end = at + plen;
      let value = 0;
      let c = 0;
      while (end < s.length && (c = s.charCodeAt(end)) >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        end++;
      }
      if (end === s.length) {
        // The number may continue in the next chunk.
        this.carry = s.slice(at);
        return found;
      }
      pos = end;
      if (c !== 46 /* . */ || end === at + plen) continue; // not a marker after all
      found++;
      this.onMarker(value);
    }
    // A prefix cut in two leaves at most plen - 1 of its characters at the end.
    this.carry = s.slice(Math.max(pos, s.length - (plen - 1)));
    return found;
  }
}
