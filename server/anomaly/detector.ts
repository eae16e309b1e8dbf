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
 * score only at a rise and returns 0 otherwise, which turns one anomaly into
 * a few early alarms instead of a burst. With the default `record` rule a
 * score is reported when it is the highest of the last `suppressionSamples`
 * and tops every reported one among them by `riseMarginDecades`. The
 * stricter `rise` rule wants it to top every score of the last
 * `suppressionSamples` by the margin. So `rise` misses a change whose score
 * climbs by less than the margin per sample, even a step, because the slower
 * scales take several samples to take it in.
 */
import { DelayLine, EwMoments, RollingMax, RollingMean } from './rolling.ts';
import { TailHistogram } from './tail-histogram.ts';

/** When a score is reported rather than suppressed to 0. */
export type ReportRule = 'rise' | 'record';

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
  /** Length of the window of recent scores that a new report is compared with, in samples. */
  readonly suppressionSamples: number;
  /** How far a score must top the recent reports (`record`) or scores (`rise`), in decades. */
  readonly riseMarginDecades: number;
  /** Rarity, in decades, that maps to the score 1. */
  readonly fullScaleDecades: number;
  readonly reportRule: ReportRule;
  /**
   * Samples a distance waits before it joins the histogram, so an anomaly
   * does not become its own history at once (0 adds it at once).
   */
  readonly tailDelaySamples: number;
  /** Extra rarity per octave beyond every past distance, in decades (0 turns it off). */
  readonly extrapolationDecadesPerOctave: number;
  /** Means each scale's baseline takes before its distances are ranked and kept. */
  readonly baselineWarmUpSamples: number;
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
  reportRule: 'record',
  tailDelaySamples: 64,
  extrapolationDecadesPerOctave: 1,
  baselineWarmUpSamples: 300,
});

interface Scale {
  readonly mean: RollingMean;
  readonly baseline: EwMoments;
  readonly tail: TailHistogram;
  readonly tailDelay: DelayLine | null;
}

/** Streaming anomaly detector for one channel. */
export class StreamingAnomalyDetector {
  readonly options: DetectorOptions;
  private readonly scales: Scale[];
  private readonly recentScores: RollingMax;
  private readonly recentReports: RollingMax;
  private samples = 0;
  private skipped = 0;
  private lastRarity = 0;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    validateOptions(this.options);
    this.scales = this.options.scalesSamples.map((length) => this.createScale(length));
    this.recentScores = new RollingMax(this.options.suppressionSamples);
    this.recentReports = new RollingMax(this.options.suppressionSamples);
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

    const { fullScaleDecades, warmUpSamples } = this.options;
    const isWarm = this.samples > warmUpSamples;
    const score = isWarm ? Math.min(1, this.lastRarity / fullScaleDecades) : 0;
    const isReported = this.isReported(score);
    this.recentScores.push(score);
    this.recentReports.push(isReported ? score : 0);
    return isReported ? score : 0;
  }

  private isReported(score: number): boolean {
    const margin = this.options.riseMarginDecades / this.options.fullScaleDecades;
    const recentMax = Math.max(0, this.recentScores.max);
    if (this.options.reportRule === 'rise') return score > recentMax + margin;
    return score > recentMax && score > Math.max(0, this.recentReports.max) + margin;
  }

  private createScale(length: number): Scale {
    const { baselineMemorySamples, tailMemorySamples, tailDelaySamples } = this.options;
    return {
      mean: new RollingMean(length),
      baseline: new EwMoments(baselineMemorySamples),
      tail: new TailHistogram(tailMemorySamples, this.options.extrapolationDecadesPerOctave),
      tailDelay: tailDelaySamples > 0 ? new DelayLine(tailDelaySamples) : null,
    };
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
      // Distances from a baseline that has barely started are start-up noise, not history.
      if (scale.baseline.sampleCount <= this.options.baselineWarmUpSamples) continue;
      const probability = scale.tail.tailProbability(distance);
      const joining = scale.tailDelay === null ? distance : scale.tailDelay.push(distance);
      if (!Number.isNaN(joining)) scale.tail.push(joining);
      rarity = Math.max(rarity, -Math.log10(probability));
    }
    return rarity;
  }
}

const POSITIVE_OPTIONS = [
  'baselineMemorySamples',
  'tailMemorySamples',
  'suppressionSamples',
  'fullScaleDecades',
] as const;

const NON_NEGATIVE_OPTIONS = [
  'warmUpSamples',
  'riseMarginDecades',
  'tailDelaySamples',
  'extrapolationDecadesPerOctave',
  'baselineWarmUpSamples',
] as const;

function validateOptions(options: DetectorOptions): void {
  if (options.scalesSamples.length === 0) {
    throw new Error('Detector needs at least one scale. Set scalesSamples, for example [1, 8].');
  }
  for (const key of POSITIVE_OPTIONS) {
    if (!(options[key] > 0)) {
      throw new Error(`Detector option ${key} must be positive, got ${options[key]}.`);
    }
  }
  for (const key of NON_NEGATIVE_OPTIONS) {
    if (!(options[key] >= 0)) {
      throw new Error(`Detector option ${key} must be zero or more, got ${options[key]}.`);
    }
  }
  if (!Number.isInteger(options.tailDelaySamples)) {
    const value = options.tailDelaySamples;
    throw new Error(`Detector option tailDelaySamples must be an integer, got ${value}.`);
  }
  if (options.reportRule !== 'rise' && options.reportRule !== 'record') {
    const value = String(options.reportRule);
    throw new Error(`Detector option reportRule must be 'rise' or 'record', got ${value}.`);
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
