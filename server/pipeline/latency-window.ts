/**
 * @module A fixed-size window of recent durations with percentile queries,
 * for tick processing time, inference latency and tick lateness.
 */

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

export class LatencyWindow {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  record(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.size = Math.min(this.size + 1, this.values.length);
  }

  /** Returns the 50th and 99th percentiles (nearest rank) and the maximum. */
  percentiles(): Percentiles {
    if (this.size === 0) return { p50: 0, p99: 0, max: 0, count: 0 };
    const sorted = this.values.slice(0, this.size).sort();
    const rank = (p: number) => sorted[Math.min(this.size - 1, Math.ceil(p * this.size) - 1)];
    return { p50: rank(0.5), p99: rank(0.99), max: sorted[this.size - 1], count: this.size };
  }
}
