/**
 * @module A univariate streaming anomaly detector: one value in, one
 * anomaly score in [0, 1] out, with fixed memory, a constant amount of work
 * per value and no look-ahead.
 *
 * For each time scale (a rolling mean over 1, 8, 64 and 512 samples by
 * default) it measures how far the newest mean lies from that scale's
 * long-run mean, in long-run standard deviations. A decaying histogram of
 * those distances turns each one into a tail probability: the share of past
 * distances at least as large. The rarest scale gives the rarity in decades,
 * −log10(p), and the score is that rarity over `fullScaleDecades`.
 *
 * An anomaly usually stays rare for many samples, so the detector reports a
 * score only when it rises above every score of the last
 * `suppressionSamples` by `riseMarginDecades`, and 0 otherwise. That turns
 * one anomaly into one early alarm instead of a burst.
 */
import { EwMoments, RollingMax, RollingMean } from './rolling.ts';
import { TailHistogram } from './tail-histogram.ts';

/** Settings of the detector, all in samples or decades of tail probability. */
export interface DetectorOptions {
  /** Lengths of the rolling means, in samples. */
  readonly scalesSamples: readonly number[];
  /** Memory of each scale's long-run mean and variance, in samples. */
  readonly baselineMemorySamples: number;
  /** Memory of the histogram that ranks the distances, in samples. */
  readonly tailMemorySamples: number;
  /** Samples at the start that always score 0 while the statistics fill. */
  readonly warmUpSamples: number;
  /** Samples a reported score stays the bar that a new report must clear. */
  readonly suppressionSamples: number;
  /** How far a score must rise above that bar, in decades of tail probability. */
  readonly riseMarginDecades: number;
  /** Rarity, in decades, that maps to the score 1. */
  readonly fullScaleDecades: number;
}

/**
 * Default settings. They were chosen once for the whole Numenta Anomaly
 * Benchmark's realKnownCause series together, never per series.
 */
export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = Object.freeze({
  scalesSamples: Object.freeze([1, 8, 64, 512]),
  baselineMemorySamples: 5000,
  tailMemorySamples: 5000,
  warmUpSamples: 300,
  suppressionSamples: 100,
  riseMarginDecades: 0.5,
  fullScaleDecades: 12,
});

interface Scale {
  readonly mean: RollingMean;
  readonly baseline: EwMoments;
  readonly tail: TailHistogram;
}

/** Streaming anomaly detector for one channel. */
export class StreamingAnomalyDetector {
  readonly options: DetectorOptions;
  private readonly scales: Scale[];
  private readonly recentScores: RollingMax;
  private samples = 0;
  private skipped = 0;
  private lastRarity = 0;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    validateOptions(this.options);
    this.scales = this.options.scalesSamples.map((length) => ({
      mean: new RollingMean(length),
      baseline: new EwMoments(this.options.baselineMemorySamples),
      tail: new TailHistogram(this.options.tailMemorySamples),
    }));
    this.recentScores = new RollingMax(this.options.suppressionSamples);
  }

  /** Number of values taken in (skipped ones excluded). */
  get sampleCount(): number {
    return this.samples;
  }

  /** Number of non-finite values that were skipped. */
  get skippedCount(): number {
    return this.skipped;
  }

  /** Rarity of the last value in decades of tail probability, before suppression. */
  get lastRarityDecades(): number {
    return this.lastRarity;
  }

  /**
   * Takes the next value and returns its anomaly score in [0, 1]. A
   * non-finite value (a dropped sample) leaves the state untouched and
   * scores 0, so one bad reading cannot poison the statistics.
   */
  update(value: number): number {
    if (!Number.isFinite(value)) {
      this.skipped++;
      return 0;
    }
    this.samples++;
    this.lastRarity = this.measureRarity(value);

    const { fullScaleDecades, warmUpSamples, riseMarginDecades } = this.options;
    const isWarm = this.samples > warmUpSamples;
    const score = isWarm ? Math.min(1, this.lastRarity / fullScaleDecades) : 0;
    const bar = Math.max(0, this.recentScores.max) + riseMarginDecades / fullScaleDecades;
    this.recentScores.push(score);
    return score > bar ? score : 0;
  }

  /** Updates every scale and returns the largest rarity among them, in decades. */
  private measureRarity(value: number): number {
    let rarity = 0;
    for (const scale of this.scales) {
      scale.mean.push(value);
      if (!scale.mean.isFull) continue;

      const mean = scale.mean.mean;
      const distance = scale.baseline.absoluteZ(mean);
      scale.baseline.push(mean);
      const probability = scale.tail.tailProbability(distance);
      scale.tail.push(distance);
      rarity = Math.max(rarity, -Math.log10(probability));
    }
    return rarity;
  }
}

function validateOptions(options: DetectorOptions): void {
  if (options.scalesSamples.length === 0) {
    throw new Error('Detector needs at least one scale. Set scalesSamples, for example [1, 8].');
  }
  const positive: (keyof DetectorOptions)[] = [
    'baselineMemorySamples',
    'tailMemorySamples',
    'suppressionSamples',
    'fullScaleDecades',
  ];
  for (const key of positive) {
    const value = options[key] as number;
    if (!(value > 0)) throw new Error(`Detector option ${key} must be positive, got ${value}.`);
  }
  for (const key of ['warmUpSamples', 'riseMarginDecades'] as const) {
    if (!(options[key] >= 0)) {
      throw new Error(`Detector option ${key} must be zero or more, got ${options[key]}.`);
    }
  }
}

/** Runs a fresh detector over a whole series and returns one score per value. */
export function scoreSeriesValues(
  values: ArrayLike<number>,
  options: Partial<DetectorOptions> = {},
): Float64Array {
  const detector = new StreamingAnomalyDetector(options);
  const scores = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) scores[i] = detector.update(values[i]);
  return scores;
}
