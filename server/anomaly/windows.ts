/**
 * @module Lays out one labelled series for Numenta Anomaly Benchmark (NAB)
 * scoring: the probationary period, the anomaly windows as row spans, and
 * the unweighted sweep value of a detection at every row.
 *
 * The rules follow NAB 1.1's sweeper. A detection inside a window is worth
 * the scaled sigmoid of its relative position: 1 at the window's first row,
 * falling towards 0 at its last. A detection outside every window is worth
 * the scaled sigmoid of its distance past the end of the preceding window,
 * which is close to 0 just after a window and -1 from three window widths
 * on, or before the first window.
 */

/** An anomaly window as an inclusive span of row indices. */
export interface WindowSpan {
  readonly startIndex: number;
  readonly endIndex: number;
}

/** One series prepared for scoring. */
export interface ScoringLayout {
  readonly name: string;
  readonly rowCount: number;
  /** Rows with an index below this are not scored. */
  readonly probationLength: number;
  readonly windows: readonly WindowSpan[];
  /** Window index of each row, or -1 outside every window. */
  readonly windowOfRow: Int32Array;
  /**
   * Unweighted value of a detection at each row: in (0, 1] inside a window
   * (multiply by the true-positive weight), in [-1, 0) outside (multiply by
   * the false-positive weight).
   */
  readonly sweepValue: Float64Array;
}

/** Share of the rows that forms the probationary period, up to a cap. */
export const PROBATION_FRACTION = 0.15;

/** Probationary period cap in rows (15 % of 5,000). */
export const PROBATION_MAX_ROWS = 750;

const SIGMOID_STEEPNESS = 5;

/** Relative position at and beyond which a false positive costs its full weight. */
const FULL_PENALTY_POSITION = 3;

/** Computes NAB's scaled sigmoid: 2·σ(−5x) − 1, and −1 from x = 3 on. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= FULL_PENALTY_POSITION) return -1;
  return 2 / (1 + Math.exp(SIGMOID_STEEPNESS * relativePosition)) - 1;
}

/** Returns the number of leading rows that are not scored: min(⌊15 % of n⌋, 750). */
export function probationLength(rowCount: number): number {
  return Math.min(Math.floor(PROBATION_FRACTION * rowCount), PROBATION_MAX_ROWS);
}

/**
 * Builds the scoring layout of a series from its row timestamps (epoch ms)
 * and its windows as [start, end] timestamp pairs in time order.
 * Throws when a window boundary matches no row, since the window could not
 * be scored.
 */
export function layoutSeries(
  name: string,
  timestampsMs: ArrayLike<number>,
  windowLimitsMs: readonly (readonly [number, number])[],
): ScoringLayout {
  const rowCount = timestampsMs.length;
  const windows = windowLimitsMs.map((limits) => findWindowSpan(name, timestampsMs, limits));
  const windowOfRow = new Int32Array(rowCount).fill(-1);
  windows.forEach((span, index) => windowOfRow.fill(index, span.startIndex, span.endIndex + 1));

  return {
    name,
    rowCount,
    probationLength: probationLength(rowCount),
    windows,
    windowOfRow,
    sweepValue: computeSweepValues(rowCount, windows, windowOfRow),
  };
}

function findWindowSpan(
  name: string,
  timestampsMs: ArrayLike<number>,
  [startMs, endMs]: readonly [number, number],
): WindowSpan {
  const startIndex = indexOfTimestamp(timestampsMs, startMs);
  const endIndex = indexOfTimestamp(timestampsMs, endMs);
  if (startIndex < 0 || endIndex < 0 || endIndex < startIndex) {
    const start = new Date(startMs).toISOString();
    const end = new Date(endMs).toISOString();
    throw new Error(
      `Anomaly window ${start} to ${end} of ${name} does not match rows of the series ` +
        `(start row ${startIndex}, end row ${endIndex}); ` +
        'window limits must be timestamps of rows, start before end.',
    );
  }
  return { startIndex, endIndex };
}

function indexOfTimestamp(timestampsMs: ArrayLike<number>, timestampMs: number): number {
  for (let i = 0; i < timestampsMs.length; i++) {
    if (timestampsMs[i] === timestampMs) return i;
  }
  return -1;
}

function computeSweepValues(
  rowCount: number,
  windows: readonly WindowSpan[],
  windowOfRow: Int32Array,
): Float64Array {
  const values = new Float64Array(rowCount);
  const maxInsideValue = scaledSigmoid(-1);
  let previous: WindowSpan | null = null;

  for (let i = 0; i < rowCount; i++) {
    const windowIndex = windowOfRow[i];
    if (windowIndex >= 0) {
      const span = windows[windowIndex];
      values[i] = scaledSigmoid(positionInWindow(i, span)) / maxInsideValue;
      if (i === span.endIndex) previous = span;
    } else {
      values[i] = scaledSigmoid(positionPastWindow(i, previous));
    }
  }
  return values;
}

/** Position in (-1, 0): -1 at the first row, -1/width at the last. */
function positionInWindow(row: number, span: WindowSpan): number {
  const width = span.endIndex - span.startIndex + 1;
  return -(span.endIndex - row + 1) / width;
}

/** Distance past the end of the previous window, in window widths minus one row. */
function positionPastWindow(row: number, previous: WindowSpan | null): number {
  if (previous === null) return FULL_PENALTY_POSITION;
  const width = previous.endIndex - previous.startIndex + 1;
  // A one-row window has no width to scale by, so every later row costs the full weight.
  if (width <= 1) return FULL_PENALTY_POSITION;
  return (row - previous.endIndex) / (width - 1);
}
