/**
 * @module Columnar ring buffer of the last N ticks: one `Float64Array` for the
 * session time and one per series, with NaN where a series had no value.
 * Charts read it directly, so the page keeps no per-tick objects.
 */

/** Ring buffer of tick times and per-series values, oldest overwritten first. */
export class SeriesHistory {
  /** Maximum number of ticks kept. */
  readonly capacity: number;
  /** Session time of each slot, in seconds. */
  readonly timeS: Float64Array;
  /** Number of appends since creation or the last `clear`, for change checks. */
  revision = 0;

  private readonly columns = new Map<string, Float64Array>();
  private start = 0;
  private count = 0;

  /** Creates an empty history of `capacity` ticks; throws on a non-positive size. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.timeS = new Float64Array(capacity);
  }

  /** Number of ticks currently stored. */
  get length(): number {
    return this.count;
  }

  /** Returns the slot of the `i`-th oldest stored tick (0 is the oldest). */
  slotAt(i: number): number {
    return (this.start + i) % this.capacity;
  }

  /** Returns the session time of the newest tick, or NaN when empty. */
  latestTimeS(): number {
    return this.count === 0 ? Number.NaN : this.timeS[this.slotAt(this.count - 1)];
  }

  /** Returns the column of a series, or undefined when it never had a value. */
  column(key: string): Float64Array | undefined {
    return this.columns.get(key);
  }

  /** Returns the keys of all series seen so far. */
  keys(): string[] {
    return [...this.columns.keys()];
  }

  /**
   * Appends one tick; series absent from `values` get NaN at this tick.
   * Throws when `timeS` is not after the newest stored time, because the
   * charts and the decimation rely on increasing times.
   */
  append(timeS: number, values: Iterable<readonly [string, number]>): void {
    const latest = this.latestTimeS();
    if (!(timeS > latest) && this.count > 0) {
      throw new RangeError(`tick time ${timeS} s is not after the newest stored ${latest} s`);
    }
    const slot = this.claimSlot();
    this.timeS[slot] = timeS;
    for (const column of this.columns.values()) column[slot] = Number.NaN;
    for (const [key, value] of values) this.columnFor(key)[slot] = value;
    this.revision += 1;
  }

  /** Drops every stored tick and series, as after a server restart. */
  clear(): void {
    this.columns.clear();
    this.start = 0;
    this.count = 0;
    this.revision += 1;
  }

  private claimSlot(): number {
    if (this.count < this.capacity) {
      this.count += 1;
      return this.slotAt(this.count - 1);
    }
    const slot = this.start;
    this.start = (this.start + 1) % this.capacity;
    return slot;
  }

  private columnFor(key: string): Float64Array {
    let column = this.columns.get(key);
    if (!column) {
      column = new Float64Array(this.capacity).fill(Number.NaN);
      this.columns.set(key, column);
    }
    return column;
  }
}
