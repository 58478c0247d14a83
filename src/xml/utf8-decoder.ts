// RFC 6120 section 11.6 (XMPP streams are UTF-8) with RFC 3629 section 4 / Unicode Table 3-7 (well-formed
// UTF-8 byte sequences). A streaming decoder: a character split across chunks is completed by the next
// chunk. On an invalid sequence it still returns the text before it, so the parser reports exactly
// what it would have reported had the bytes arrived in one piece.

export class Utf8StreamDecoder {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  /** The bytes of an unfinished sequence at the end of the previous chunk (held inside `decoder`). */
  private tail: Uint8Array = new Uint8Array(0);
  private started = false;
  /** Set once an invalid sequence was seen; the decoder returns nothing after that. */
  failed = false;

  decode(chunk: Uint8Array): string {
    if (this.failed) return '';
    const wasStarted = this.started;
    this.started = true;
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.tail = unfinishedTail(this.tail, chunk);
      return text;
    } catch {
      this.failed = true;
      const data = concat(this.tail, chunk);
      const valid = data.subarray(0, firstInvalidSequence(data));
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: wasStarted }).decode(valid);
    }
  }

  reset(): void {
    this.decoder = new TextDecoder('utf-8', { fatal: true });
    this.tail = new Uint8Array(0);
    this.started = false;
    this.failed = false;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Length of the sequence a lead byte starts, 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The trailing bytes of `prev + chunk` that start a sequence not yet finished (at most 3). */
function unfinishedTail(prev: Uint8Array, chunk: Uint8Array): Uint8Array {
  const recent = concat(prev, chunk.length > 3 ? chunk.subarray(chunk.length - 3) : chunk);
  for (let back = 1; back <= Math.min(3, recent.length); back++) {
    const b = recent[recent.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > back ? recent.slice(recent.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * Index of the first byte of the first ill-formed sequence (Unicode Table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF). An unfinished sequence at the very end is not ill-formed;
 * its start is returned so the valid prefix excludes it.
 */
export function firstInvalidSequence(data: Uint8Array): number {
  const n = data.length;
  let i = 0;
  while (i < n) {
    const b = data[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = sequenceLength(b);
    if (need === 0) return i;
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
    else if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
    for (let k = 1; k < need; k++) {
      if (i + k >= n) return i;
      const c = data[i + k]!;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need;
  }
  return n;
}
