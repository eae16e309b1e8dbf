/**
 * @module Scores anomaly detectors the way the Numenta Anomaly Benchmark
 * (NAB 1.1) does. It gives per-file scores at a threshold, sweeps the
 * thresholds of a whole corpus to pick one per detector and profile, and
 * normalises so that the null detector scores 0 and a perfect one 100.
 *
 * At a threshold every scorable row whose anomaly score is at or above it
 * is a detection. Each window contributes the value of its earliest
 * detection (so only the first detection in a window counts), or minus the
 * false-negative weight when it has none. Every detection outside the
 * windows adds its (negative) sweep value times the false-positive weight.
 */
import type { ScoringLayout } from './windows.ts';

/** Weights of one NAB application profile. */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** Row counts and raw score of one series at one threshold. */
export interface FileScore {
  readonly score: number;
  /** Scorable rows inside windows with a detection. */
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  /** Windows with at least one detection. */
  readonly detectedWindows: number;
}

/** A threshold and the raw corpus score it gives. */
export interface ThresholdScore {
  readonly threshold: number;
  readonly score: number;
}

/** One series of a corpus with the detector's anomaly score for every row. */
export interface ScoredSeries {
  readonly layout: ScoringLayout;
  readonly anomalyScores: ArrayLike<number>;
}

/**
 * Scores one series at a threshold: rows in the probationary period are
 * ignored, the rest are detections when their anomaly score is at or above
 * the threshold.
 */
export function scoreSeries(series: ScoredSeries, threshold: number, cost: CostMatrix): FileScore {
  const { layout, anomalyScores } = series;
  checkLength(series);
  const windowParts = initialWindowParts(layout, cost);
  let falsePositiveSum = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;

  for (let i = layout.probationLength; i < layout.rowCount; i++) {
    const windowIndex = layout.windowOfRow[i];
    const isDetection = anomalyScores[i] >= threshold;
    if (windowIndex >= 0) {
      if (isDetection) {
        tp++;
        const value = layout.sweepValue[i] * cost.tpWeight;
        windowParts.set(windowIndex, Math.max(windowParts.get(windowIndex)!, value));
      } else {
        fn++;
      }
    } else if (isDetection) {
      fp++;
      falsePositiveSum += layout.sweepValue[i] * cost.fpWeight;
    } else {
      tn++;
    }
  }

  const detectedWindows = [...windowParts.values()].filter((part) => part > -cost.fnWeight).length;
  const score = sumValues(windowParts) + falsePositiveSum;
  return { score, tp, fp, fn, tn, detectedWindows };
}

/**
 * Sweeps every distinct anomaly score of the corpus as a threshold and
 * returns the scores from the highest threshold down. The first entry,
 * threshold +Infinity, is the score with no detection at all.
 */
export function sweepThresholds(
  corpus: readonly ScoredSeries[],
  cost: CostMatrix,
): ThresholdScore[] {
  const rows = collectScorableRows(corpus);
  const windowParts = corpus.map((series) => initialWindowParts(series.layout, cost));
  let total = windowParts.reduce((sum, parts) => sum + sumValues(parts), 0);
  const results: ThresholdScore[] = [{ threshold: Number.POSITIVE_INFINITY, score: total }];

  for (let k = 0; k < rows.length; k++) {
    const { seriesIndex, row, anomalyScore } = rows[k];
    const layout = corpus[seriesIndex].layout;
    const windowIndex = layout.windowOfRow[row];
    if (windowIndex >= 0) {
      const parts = windowParts[seriesIndex];
      const before = parts.get(windowIndex)!;
      const after = Math.max(before, layout.sweepValue[row] * cost.tpWeight);
      parts.set(windowIndex, after);
      total += after - before;
    } else {
      total += layout.sweepValue[row] * cost.fpWeight;
    }

    // A threshold takes in every row at or above it, so record only after the last tie.
    const isLastOfThreshold = k + 1 === rows.length || rows[k + 1].anomalyScore !== anomalyScore;
    if (isLastOfThreshold) results.push({ threshold: anomalyScore, score: total });
  }
  return results;
}

/**
 * Returns the threshold with the highest raw corpus score; among equal
 * scores the highest threshold wins, as in NAB's optimiser.
 */
export function optimiseThreshold(corpus: readonly ScoredSeries[], cost: CostMatrix): ThresholdScore {
  let best: ThresholdScore | null = null;
  for (const candidate of sweepThresholds(corpus, cost)) {
    if (best === null || candidate.score > best.score) best = candidate;
  }
  return best!;
}

/** Returns the raw score of the null detector (no detection): −fnWeight per scorable window. */
export function nullScore(layout: ScoringLayout, cost: CostMatrix): number {
  return sumValues(initialWindowParts(layout, cost));
}

/** Returns the raw score of a perfect detector: tpWeight per labelled window. */
export function perfectScore(layout: ScoringLayout, cost: CostMatrix): number {
  return layout.windows.length * cost.tpWeight;
}

/**
 * Maps a raw score to NAB's scale, 100·(raw − null)/(perfect − null),
 * where the null detector scores 0 and a perfect detector 100.
 */
export function normaliseScore(raw: number, nullRaw: number, perfectRaw: number): number {
  if (perfectRaw === nullRaw) {
    throw new Error(
      `Cannot normalise a score when the perfect and null scores are equal (${perfectRaw}); ` +
        'the series needs at least one anomaly window.',
    );
  }
  return (100 * (raw - nullRaw)) / (perfectRaw - nullRaw);
}

/**
 * Starts every window that has a scorable row at minus the false-negative
 * weight. A window wholly inside the probationary period is not scored.
 */
function initialWindowParts(layout: ScoringLayout, cost: CostMatrix): Map<number, number> {
  const parts = new Map<number, number>();
  layout.windows.forEach((span, index) => {
    if (span.endIndex >= layout.probationLength) parts.set(index, -cost.fnWeight);
  });
  return parts;
}

interface ScorableRow {
  readonly seriesIndex: number;
  readonly row: number;
  readonly anomalyScore: number;
}

function collectScorableRows(corpus: readonly ScoredSeries[]): ScorableRow[] {
  const rows: ScorableRow[] = [];
  corpus.forEach((series, seriesIndex) => {
    checkLength(series);
    for (let row = series.layout.probationLength; row < series.layout.rowCount; row++) {
      const anomalyScore = series.anomalyScores[row];
      if (Number.isNaN(anomalyScore)) {
        throw new Error(`Anomaly score of row ${row} of ${series.layout.name} is NaN.`);
      }
      rows.push({ seriesIndex, row, anomalyScore });
    }
  });
  // Stable sort, so rows with equal scores keep their time order.
  return rows.sort((a, b) => b.anomalyScore - a.anomalyScore);
}

function checkLength(series: ScoredSeries): void {
  const { layout, anomalyScores } = series;
  if (anomalyScores.length !== layout.rowCount) {
    throw new Error(
      `Expected ${layout.rowCount} anomaly scores for ${layout.name}, ` +
        `but got ${anomalyScores.length}; give one score per row.`,
    );
  }
}

function sumValues(parts: Map<number, number>): number {
  let sum = 0;
  for (const value of parts.values()) sum += value;
  return sum;
}
