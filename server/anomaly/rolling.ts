/**
 * @module Fixed-memory streaming statistics for the anomaly detector: a
 * rolling mean over the last n samples, exponentially weighted moments, and
 * a rolling maximum. Each update is O(1) (amortised for the maximum).
 */

/** Mean of the last `length` samples, kept in a ring buffer. */
export class RollingMean {
  readonly length: number;
  private readonly buffer: Float64Array;
  private next = 0;
  private filled = 0;
  private sum = 0;
  private pushesSinceResum = 0;

  constructor(length: number) {
    this.length = checkWindowLength(length);
    this.buffer = new Float64Array(length);
  }

  /** Adds a sample, dropping the oldest once the window is full. */
  push(value: number): void {
    if (this.filled === this.length) this.sum -= this.buffer[this.next];
    else this.filled++;
    this.buffer[this.next] = value;
    this.next = (this.next + 1) % this.length;
    this.sum += value;

    // Re-adding the buffer once per window length stops rounding drift of the running sum.
    if (++this.pushesSinceResum >= this.length) this.resum();
  }

  /** True once `length` samples have arrived. */
  get isFull(): boolean {
    return this.filled === this.length;
  }

  get mean(): number {
    return this.sum / this.filled;
  }

  private resum(): void {
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += this.buffer[i];
    this.sum = sum;
    this.pushesSinceResum = 0;
  }
}

/**
 * Exponentially weighted mean and variance with a memory of about
 * `memorySamples`. The first samples are averaged equally, so the start is
 * not biased towards the first value.
 */
export class EwMoments {
  private readonly alpha: number;
  private count = 0;
  private mean = 0;
  private variance = 0;

  constructor(memorySamples: number) {
    if (!(memorySamples >= 1)) {
      throw new Error(`EW memory must be at least 1 sample, got ${memorySamples}.`);
    }
    this.alpha = 1 / memorySamples;
  }

  /** Number of samples taken in. */
  get sampleCount(): number {
    return this.count;
  }

  /** Returns |value − mean| in standard deviations, or 0 before two samples. */
  absoluteZ(value: number): number {
    if (this.count < 2) return 0;
    const floor = 1e-9 * (1 + Math.abs(this.mean));
    return Math.abs(value - this.mean) / (Math.sqrt(this.variance) + floor);
  }

  /** Adds a sample to the moments. */
  push(value: number): void {
    this.count++;
    const alpha = Math.max(this.alpha, 1 / this.count);
    const delta = value - this.mean;
    this.mean += alpha * delta;
    this.variance = (1 - alpha) * (this.variance + alpha * delta * delta);
  }
}

/** Maximum of the last `length` values, with a monotonic deque. */
export class RollingMax {
  private readonly length: number;
  private readonly indices: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private size = 0;
  private time = 0;

  constructor(length: number) {
    this.length = checkWindowLength(length);
    this.indices = new Float64Array(length);
    this.values = new Float64Array(length);
  }

  /** Returns the maximum of the values in the window, or −Infinity when empty. */
  get max(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : this.values[this.head];
  }

  /** Adds a value, dropping the one that falls out of the window. */
  push(value: number): void {
    if (this.size > 0 && this.indices[this.head] <= this.time - this.length) this.popFront();
    while (this.size > 0 && this.values[this.slot(this.size - 1)] <= value) this.size--;

    const slot = this.slot(this.size);
    this.indices[slot] = this.time;
    this.values[slot] = value;
    this.size++;
    this.time++;
  }

  private popFront(): void {
    this.head = (this.head + 1) % this.length;
    this.size--;
  }

  private slot(offset: number): number {
    return (this.head + offset) % this.length;
  }
}

/** Fixed delay: each pushed value comes back out `length` pushes later. */
export class DelayLine {
  private readonly buffer: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(length: number) {
    this.buffer = new Float64Array(checkWindowLength(length));
  }

  /** Adds a value and returns the one pushed `length` pushes ago, or NaN while filling. */
  push(value: number): number {
    const delayed = this.filled === this.buffer.length ? this.buffer[this.next] : Number.NaN;
    if (this.filled < this.buffer.length) this.filled++;
    this.buffer[this.next] = value;
    this.next = (this.next + 1) % this.buffer.length;
    return delayed;
  }
}

function checkWindowLength(length: number): number {
  if (!Number.isInteger(length) || length < 1) {
    throw new Error(`Rolling window length must be a positive integer, got ${length}.`);
  }
  return length;
}
