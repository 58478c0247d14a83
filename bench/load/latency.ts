// Latency samples in milliseconds and their percentiles (nearest-rank definition), kept in a growable
// Float64Array so recording a sample on the hot path allocates nothing.

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private n = 0;

  record(ms: number): void {
    if (this.n === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.n++] = ms;
  }

  /** Adds every sample of `other`. */
  merge(other: LatencyRecorder): void {
    for (let i = 0; i < other.n; i++) this.record(other.samples[i]);
  }

  get count(): number {
    return this.n;
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.n).sort();
    return {
      count: this.n,
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(this.n === 0 ? Number.NaN : sorted[this.n - 1]),
    };
  }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
