/**
 * @module Min/max decimation of a `SeriesHistory` window for uPlot: each
 * pixel-wide bucket keeps at most two rows, so every peak and trough stays
 * visible while a chart draws a few points per pixel instead of thousands.
 */
import type { SeriesHistory } from './series-history.ts';

/** uPlot's aligned data: x values, then one array per series (null is a gap). */
export type AlignedColumns = [number[], ...(number | null)[][]];

/** Window and resolution of one decimation. */
export interface DecimationWindow {
  /** Oldest session time included, in seconds. */
  readonly fromS: number;
  /** Newest session time included, in seconds. */
  readonly toS: number;
  /** Number of buckets, usually the plot width in CSS pixels. */
  readonly buckets: number;
  /** Subtracted from every x value, such as the newest time for a "seconds ago" axis. */
  readonly originS: number;
}

interface Columns {
  x: number[];
  ys: (number | null)[][];
}

interface BucketStats {
  first: number;
  last: number;
  min: Float64Array;
  max: Float64Array;
  minAt: Float64Array;
  maxAt: Float64Array;
}

/**
 * Returns the series `keys` between `fromS` and `toS` as aligned columns with
 * at most two rows per bucket. A window that already fits is returned unreduced.
 */
export function decimateMinMax(
  history: SeriesHistory,
  keys: readonly string[],
  window: DecimationWindow,
): AlignedColumns {
  const columns = keys.map((key) => history.column(key));
  const [firstIndex, endIndex] = indexRange(history, window.fromS, window.toS);
  const out: Columns = { x: [], ys: keys.map(() => []) };
  const buckets = Math.max(1, Math.floor(window.buckets));

  if (endIndex - firstIndex <= 2 * buckets) {
    for (let i = firstIndex; i < endIndex; i++) pushRow(out, history, columns, i, window.originS);
    return [out.x, ...out.ys];
  }

  const spanS = Math.max(window.toS - window.fromS, Number.EPSILON);
  const stats = newStats(keys.length);
  let bucket = -1;
  for (let i = firstIndex; i < endIndex; i++) {
    const t = history.timeS[history.slotAt(i)];
    const b = Math.min(buckets - 1, Math.floor(((t - window.fromS) / spanS) * buckets));
    if (b !== bucket) {
      if (bucket >= 0) flushBucket(out, history, columns, stats, window.originS);
      resetStats(stats, i);
      bucket = b;
    }
    addToStats(stats, columns, history.slotAt(i), i);
  }
  if (bucket >= 0) flushBucket(out, history, columns, stats, window.originS);
  return [out.x, ...out.ys];
}

/** Returns [first, end) logical indices of ticks with fromS <= t <= toS. */
function indexRange(history: SeriesHistory, fromS: number, toS: number): [number, number] {
  const n = history.length;
  const timeAt = (i: number) => history.timeS[history.slotAt(i)];
  return [lowerBound(n, (i) => timeAt(i) < fromS), lowerBound(n, (i) => timeAt(i) <= toS)];
}

/** Returns the first index in [0, n) for which `isBefore` is false. */
function lowerBound(n: number, isBefore: (i: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isBefore(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}

function pushRow(
  out: Columns,
  history: SeriesHistory,
  columns: readonly (Float64Array | undefined)[],
  index: number,
  originS: number,
): void {
  const slot = history.slotAt(index);
  out.x.push(history.timeS[slot] - originS);
  for (let s = 0; s < columns.length; s++) {
    const value = columns[s]?.[slot] ?? Number.NaN;
    out.ys[s].push(Number.isNaN(value) ? null : value);
  }
}

function newStats(seriesCount: number): BucketStats {
  const make = () => new Float64Array(seriesCount);
  return { first: 0, last: 0, min: make(), max: make(), minAt: make(), maxAt: make() };
}

function resetStats(stats: BucketStats, index: number): void {
  stats.first = index;
  stats.last = index;
  stats.min.fill(Number.POSITIVE_INFINITY);
  stats.max.fill(Number.NEGATIVE_INFINITY);
}

function addToStats(
  stats: BucketStats,
  columns: readonly (Float64Array | undefined)[],
  slot: number,
  index: number,
): void {
  stats.last = index;
  for (let s = 0; s < columns.length; s++) {
    const value = columns[s]?.[slot] ?? Number.NaN;
    if (Number.isNaN(value)) continue;
    if (value < stats.min[s]) {
      stats.min[s] = value;
      stats.minAt[s] = index;
    }
    if (value > stats.max[s]) {
      stats.max[s] = value;
      stats.maxAt[s] = index;
    }
  }
}

/**
 * Emits one row for a single-tick bucket, else two rows at the bucket's first
 * and last tick times holding each series' extremes in the order they occurred.
 */
function flushBucket(
  out: Columns,
  history: SeriesHistory,
  columns: readonly (Float64Array | undefined)[],
  stats: BucketStats,
  originS: number,
): void {
  if (stats.first === stats.last) {
    pushRow(out, history, columns, stats.first, originS);
    return;
  }
  out.x.push(history.timeS[history.slotAt(stats.first)] - originS);
  out.x.push(history.timeS[history.slotAt(stats.last)] - originS);
  for (let s = 0; s < columns.length; s++) {
    const ys = out.ys[s];
    if (stats.min[s] === Number.POSITIVE_INFINITY) {
      ys.push(null, null);
    } else if (stats.minAt[s] <= stats.maxAt[s]) {
      ys.push(stats.min[s], stats.max[s]);
    } else {
      ys.push(stats.max[s], stats.min[s]);
    }
  }
}
