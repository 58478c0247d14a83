// RFC 3492 (Punycode) with the IDNA parameters of section 5, used to turn U-labels into A-labels
// (to measure them) and A-labels back into U-labels (to compare them), RFC 5891 section 5.

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_CODE_POINT = 0x10ffff;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  delta = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) >> 1) {
    delta = Math.floor(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

function digitToChar(d: number): string {
  return String.fromCharCode(d < 26 ? d + 0x61 : d - 26 + 0x30);
}

function charToDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return BASE;
}

function threshold(k: number, bias: number): number {
  return k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
}

/** Encodes a label (without the "xn--" prefix); throws RangeError on overflow. */
export function punycodeEncode(label: string): string {
  const input = Array.from(label, (ch) => ch.codePointAt(0)!);
  let output = input.filter((cp) => cp < 0x80).map((cp) => String.fromCharCode(cp)).join('');
  const basicCount = output.length;
  let handled = basicCount;
  if (basicCount > 0) output += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < input.length) {
    let m = MAX_CODE_POINT + 1;
    for (const cp of input) if (cp >= n && cp < m) m = cp;
    delta += (m - n) * (handled + 1);
    if (delta > Number.MAX_SAFE_INTEGER) throw new RangeError('punycode overflow');
    n = m;
    for (const cp of input) {
      if (cp < n) delta++;
      if (cp === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = threshold(k, bias);
          if (q < t) break;
          output += digitToChar(t + ((q - t) % (BASE - t)));
          q = Math.floor((q - t) / (BASE - t));
        }
        output += digitToChar(q);
        bias = adapt(delta, handled + 1, handled === basicCount);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

/** Decodes a label (without the "xn--" prefix); throws RangeError on malformed input. */
export function punycodeDecode(encoded: string): string {
  const output: number[] = [];
  const lastDelimiter = encoded.lastIndexOf('-');
  for (let j = 0; j < Math.max(lastDelimiter, 0); j++) {
    const c = encoded.charCodeAt(j);
    if (c >= 0x80) throw new RangeError('non-basic code point before delimiter');
    output.push(c);
  }
  let n = INITIAL_N;
  let i = 0;
  let bias = INITIAL_BIAS;
  for (let pos = lastDelimiter > 0 ? lastDelimiter + 1 : 0; pos < encoded.length; ) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= encoded.length) throw new RangeError('truncated punycode');
      const digit = charToDigit(encoded.charCodeAt(pos++));
      if (digit >= BASE) throw new RangeError('bad punycode digit');
      i += digit * w;
      if (i > Number.MAX_SAFE_INTEGER) throw new RangeError('punycode overflow');
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
    }
    bias = adapt(i - oldi, output.length + 1, oldi === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > MAX_CODE_POINT || (n >= 0xd800 && n <= 0xdfff)) throw new RangeError('bad code point');
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}
