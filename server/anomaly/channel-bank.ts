/**
 * @module One streaming anomaly detector per channel, updated once per tick
 * with that tick's values (for example the residuals of a model's channel
 * predictions). Settings can be given in seconds and are converted to
 * samples at the tick rate.
 */
import {
  DEFAULT_DETECTOR_OPTIONS,
  StreamingAnomalyDetector,
  type DetectorOptions,
} from './detector.ts';

/** Default cap on channels, far above the monitor's channel count, so a bad key stream cannot grow memory. */
export const MAX_BANK_CHANNELS = 256;

/** Detector settings in seconds, for a stream at a known rate. */
export interface DetectorTimesS {
  readonly scalesS: readonly number[];
  readonly baselineMemoryS: number;
  readonly tailMemoryS: number;
  readonly warmUpS: number;
  readonly suppressionS: number;
  /** Delay before a distance joins the histogram. */
  readonly tailDelayS: number;
}

/**
 * Settings for engine channel residuals, in seconds. The tail is delayed by
 * the longest scale, so a drift does not become its own history before that
 * scale has averaged it. NOTE: chosen on synthetic noise, shifts and drifts, not yet
 * on recorded engine residuals.
 */
export const MONITOR_DETECTOR_TIMES: DetectorTimesS = Object.freeze({
  scalesS: Object.freeze([0.05, 0.5, 5, 30]),
  baselineMemoryS: 600,
  tailMemoryS: 1800,
  warmUpS: 30,
  suppressionS: 10,
  tailDelayS: 30,
});

/**
 * Suggested alarm score for {@link monitorDetectorOptions}. On synthetic white
 * noise at 23.6 Hz it was reached once in 3 × 110 minutes. Steps of 1 to 5
 * standard deviations crossed it within 4 s, and a drift of 1 standard
 * deviation per minute within 37 s (measured by `bun bench/nab.ts`).
 * NOTE: real residuals are neither white nor Gaussian; set the alarm score
 * from recorded drives before trusting the false-alarm rate.
 */
export const MONITOR_ALARM_SCORE = 0.4;

/** Returns the monitor's detector options at `rateHz` (23.6 Hz on the car). */
export function monitorDetectorOptions(rateHz: number): DetectorOptions {
  return detectorOptionsForRate(rateHz, MONITOR_DETECTOR_TIMES);
}

/**
 * Converts settings in seconds to detector options in samples at `rateHz`,
 * rounding each length to at least one sample. Both warm-ups take `warmUpS`,
 * and the decade settings and the report rule keep their defaults.
 */
export function detectorOptionsForRate(rateHz: number, times: DetectorTimesS): DetectorOptions {
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) {
    throw new Error(`Sample rate must be a positive number of Hz, got ${rateHz}.`);
  }
  const samples = (seconds: number): number => Math.max(1, Math.round(seconds * rateHz));
  return {
    ...DEFAULT_DETECTOR_OPTIONS,
    scalesSamples: times.scalesS.map(samples),
    baselineMemorySamples: samples(times.baselineMemoryS),
    tailMemorySamples: Math.max(2, samples(times.tailMemoryS)),
    warmUpSamples: Math.round(times.warmUpS * rateHz),
    baselineWarmUpSamples: Math.round(times.warmUpS * rateHz),
    suppressionSamples: samples(times.suppressionS),
    tailDelaySamples: Math.round(times.tailDelayS * rateHz),
  };
}

/** Anomaly detectors keyed by channel name, created on a channel's first value. */
export class AnomalyDetectorBank {
  private readonly detectors = new Map<string, StreamingAnomalyDetector>();

  constructor(
    private readonly options: Partial<DetectorOptions> = {},
    private readonly maxChannels = MAX_BANK_CHANNELS,
  ) {
    // Builds one detector now so invalid options fail here, not on the first tick.
    new StreamingAnomalyDetector(options);
  }

  /** Channel names with a detector, in order of first appearance. */
  get channels(): string[] {
    return [...this.detectors.keys()];
  }

  /**
   * Feeds one tick's values and returns the anomaly score of each channel
   * present. A channel absent from `values` keeps its state for the next tick.
   * Throws, before changing any detector, when a new channel would exceed the cap.
   */
  update(values: Readonly<Record<string, number>>): Record<string, number> {
    this.checkNewChannels(values);
    const scores: Record<string, number> = {};
    for (const [channel, value] of Object.entries(values)) {
      scores[channel] = this.detectorFor(channel).update(value);
    }
    return scores;
  }

  /** Forgets the state of one channel, or of all channels when none is named. */
  reset(channel?: string): void {
    if (channel === undefined) this.detectors.clear();
    else this.detectors.delete(channel);
  }

  private checkNewChannels(values: Readonly<Record<string, number>>): void {
    const newChannels = Object.keys(values).filter((channel) => !this.detectors.has(channel));
    if (this.detectors.size + newChannels.length > this.maxChannels) {
      throw new Error(
        `Anomaly detector bank is limited to ${this.maxChannels} channels, but ` +
          `${this.detectors.size} exist and ${newChannels.length} new ones arrived ` +
          `(first: ${newChannels[0]}). Feed only canonical channel names.`,
      );
    }
  }

  private detectorFor(channel: string): StreamingAnomalyDetector {
    let detector = this.detectors.get(channel);
    if (detector === undefined) {
      detector = new StreamingAnomalyDetector(this.options);
      this.detectors.set(channel, detector);
    }
    return detector;
  }
}
