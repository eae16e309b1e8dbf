/**
 * @module Reads what the trainer stores in a model set's metadata beside
 * the weights: the calibrated alarm thresholds and the default engine
 * baseline, so a swapped model brings its own calibration.
 */
import { parseBaseline, type EngineBaseline } from './health/baseline.ts';
import type { CusumThresholds } from './health/monitor.ts';
import type { ModelMetadata } from './model-files.ts';

/** Returns the calibrated thresholds of a model set, or none (defaults apply). */
export function trainedThresholds(metadata: ModelMetadata): CusumThresholds {
  const thresholds = metadata.training.thresholds;
  if (typeof thresholds !== 'object' || thresholds === null) return {};
  return Object.fromEntries(
    Object.entries(thresholds).filter(([, v]) => typeof v === 'number' && v > 0 && Number.isFinite(v)),
  ) as CusumThresholds;
}

/** Returns the default baseline stored with a model set, or null when it has none. */
export function trainedBaseline(metadata: ModelMetadata): EngineBaseline | null {
  const baseline = metadata.training.baseline;
  return baseline === undefined ? null : parseBaseline(baseline, 'metadata.json training.baseline');
}
