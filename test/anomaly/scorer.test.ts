import { describe, expect, test } from 'bun:test';
import {
  normaliseScore,
  nullScore,
  optimiseThreshold,
  perfectScore,
  scoreSeries,
  sweepThresholds,
  type CostMatrix,
} from '../../server/anomaly/scorer.ts';
import { layoutSeries, probationLength, scaledSigmoid } from '../../server/anomaly/windows.ts';

// Hand-computed cases. S(x) = 2/(1 + e^(5x)) − 1 = tanh(−2.5x), the scaled sigmoid.
// S(−1) = tanh(2.5) = 0.9866143, the value that a detection at a window's first row is divided by.
const STANDARD: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const LOW_FN: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };

// 30 rows one minute apart; probation = min(⌊0.15·30⌋, 750) = 4 rows (0..3).
// One window over rows 8..11, so width 4.
const ROWS = 30;
const MINUTE_MS = 60_000;
const timestamps = Array.from({ length: ROWS }, (_, i) => i * MINUTE_MS);
const layout = layoutSeries('synthetic', timestamps, [[8 * MINUTE_MS, 11 * MINUTE_MS]]);

function detectionsAt(...rows: number[]): Float64Array {
  const scores = new Float64Array(ROWS);
  for (const row of rows) scores[row] = 1;
  return scores;
}

function scoreAt(rows: number[], cost = STANDARD): number {
  return scoreSeries({ layout, anomalyScores: detectionsAt(...rows) }, 0.5, cost).score;
}

describe('scaled sigmoid', () => {
  test('values at reference positions', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866143, 6);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.9866143, 6);
    expect(scaledSigmoid(3)).toBe(-1);
  });
});

describe('probation length', () => {
  test('15 % of the rows, at most 750', () => {
    expect(probationLength(30)).toBe(4);
    expect(probationLength(4032)).toBe(604);
    expect(probationLength(10320)).toBe(750);
  });
});

describe('NAB file score', () => {
  test('detection at window start scores tpWeight', () => {
    // Position −(11 − 8 + 1)/4 = −1, so S(−1)/S(−1) = 1.
    expect(scoreAt([8])).toBeCloseTo(1, 12);
  });

  test('detection at window end scores S(−1/4)/S(−1)', () => {
    // Position −(11 − 11 + 1)/4 = −0.25: tanh(0.625)/tanh(2.5) = 0.5547792/0.9866143 = 0.5621241.
    expect(scoreAt([11])).toBeCloseTo(0.5621241, 6);
  });

  test('only the first of two detections in a window counts', () => {
    // Row 9: position −3/4, tanh(1.875)/tanh(2.5) = 0.9669891. Row 10 would score less.
    expect(scoreAt([9, 10])).toBeCloseTo(0.9669891, 6);
    expect(scoreAt([10, 9])).toBeCloseTo(scoreAt([9]), 12);
  });

  test('false positive before the first window costs fpWeight', () => {
    // The missed window costs 1 and the detection at row 5 costs 0.11: −1.11.
    expect(scoreAt([5])).toBeCloseTo(-1.11, 12);
  });

  test('false positive after a window scales with its distance', () => {
    // Row 13 lies (13 − 11)/(4 − 1) = 2/3 past the window: 0.11·S(2/3) = −0.11·tanh(5/3) = −0.1024221.
    // With the window found at its start: 1 − 0.1024221 = 0.8975779.
    expect(scoreAt([8, 13])).toBeCloseTo(0.8975779, 6);
  });

  test('false positive three widths past a window costs fpWeight', () => {
    // Row 21 lies (21 − 11)/3 = 3.33 past the window, beyond 3: full cost 0.11.
    expect(scoreAt([8, 21])).toBeCloseTo(0.89, 12);
  });

  test('missed window costs fnWeight of the profile', () => {
    expect(scoreAt([])).toBe(-1);
    expect(scoreAt([], LOW_FN)).toBe(-2);
  });

  test('detections in the probationary period are ignored', () => {
    // Rows 0..3 are probationary, so detections there change nothing: −1 for the missed window.
    expect(scoreAt([0, 3])).toBe(-1);
  });

  test('row counts follow the detections', () => {
    const score = scoreSeries({ layout, anomalyScores: detectionsAt(9, 10, 13) }, 0.5, STANDARD);
    expect(score.tp).toBe(2);
    expect(score.fn).toBe(2);
    expect(score.fp).toBe(1);
    expect(score.tn).toBe(ROWS - 4 - 5);
    expect(score.detectedWindows).toBe(1);
  });

  test('window inside probation is not scored', () => {
    // Rows 1..2 lie inside the 4 probationary rows, so no detection can reach the window.
    // NAB leaves such a window out of the file score, but the perfect score still counts it.
    const early = layoutSeries('early', timestamps, [[1 * MINUTE_MS, 2 * MINUTE_MS]]);
    expect(nullScore(early, STANDARD)).toBe(0);
    expect(perfectScore(early, STANDARD)).toBe(1);
  });

  test('rejects a score array of the wrong length', () => {
    const scores = new Float64Array(ROWS - 1);
    expect(() => scoreSeries({ layout, anomalyScores: scores }, 0.5, STANDARD)).toThrow(
      'Expected 30 anomaly scores for synthetic, but got 29',
    );
  });
});

describe('window layout', () => {
  test('rejects a window limit that is not a row timestamp', () => {
    expect(() => layoutSeries('gap', timestamps, [[8.5 * MINUTE_MS, 11 * MINUTE_MS]])).toThrow(
      'does not match rows of the series',
    );
  });
});

describe('threshold sweep', () => {
  // Row 8 (window start) scores 0.9, row 20 (3 widths past, full FP cost) 0.7, row 13 (2/3 past) 0.5.
  const scores = new Float64Array(ROWS);
  scores[8] = 0.9;
  scores[20] = 0.7;
  scores[13] = 0.5;
  const corpus = [{ layout, anomalyScores: scores }];

  test('scores every distinct threshold from the top', () => {
    const sweep = sweepThresholds(corpus, STANDARD);
    expect(sweep[0]).toEqual({ threshold: Number.POSITIVE_INFINITY, score: -1 });
    expect(sweep[1].threshold).toBe(0.9);
    expect(sweep[1].score).toBeCloseTo(1, 12);
    expect(sweep[2].threshold).toBe(0.7);
    expect(sweep[2].score).toBeCloseTo(0.89, 12);
    expect(sweep[3].threshold).toBe(0.5);
    expect(sweep[3].score).toBeCloseTo(0.89 - 0.1024221, 6);
    // Threshold 0 takes in every remaining row, so it is the last entry.
    expect(sweep).toHaveLength(5);
    expect(sweep[4].threshold).toBe(0);
  });

  test('optimum is the best threshold', () => {
    const best = optimiseThreshold(corpus, STANDARD);
    expect(best.threshold).toBe(0.9);
    expect(best.score).toBeCloseTo(1, 12);
  });

  test('sweep agrees with per-file scoring', () => {
    for (const { threshold, score } of sweepThresholds(corpus, STANDARD).slice(1)) {
      expect(scoreSeries(corpus[0], threshold, STANDARD).score).toBeCloseTo(score, 9);
    }
  });
});

describe('normalisation', () => {
  test('null maps to 0 and perfect to 100', () => {
    const nullRaw = nullScore(layout, STANDARD);
    const perfectRaw = perfectScore(layout, STANDARD);
    expect(normaliseScore(nullRaw, nullRaw, perfectRaw)).toBe(0);
    expect(normaliseScore(scoreAt([8]), nullRaw, perfectRaw)).toBeCloseTo(100, 9);
    // Window end: 100·(0.5621241 + 1)/2 = 78.106.
    expect(normaliseScore(scoreAt([11]), nullRaw, perfectRaw)).toBeCloseTo(78.106207, 5);
  });

  test('rejects a file without windows', () => {
    expect(() => normaliseScore(0, 0, 0)).toThrow('needs at least one anomaly window');
  });
});
