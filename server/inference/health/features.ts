/**
 * @module The feature vector both classifiers read: per residual the level
 * of each cumulative sum (1 = alarm), the windowed mean of the normalised
 * residual and the share of time it could be compared, plus boost means
 * below and above the turbo handover, the coolant trend and stuck sensors.
 */
import { RESIDUAL_SPECS } from './residual-specs.ts';
import type { HealthMonitor } from './monitor.ts';

const LEVEL_CAP = 5;
const MEAN_CAP = 10;

/** Names of the features in vector order. */
export const FEATURE_NAMES: readonly string[] = [
  ...RESIDUAL_SPECS.flatMap((spec) => [
    ...spec.sides.map((side) => `${spec.id}.${side}`),
    `${spec.id}.mean`,
    `${spec.id}.active`,
  ]),
  'boost.meanBelowHandover',
  'boost.meanAboveHandover',
  'coolant.riseRate',
  'sensors.stuck',
];

const clamp = (x: number, cap: number) => Math.max(-cap, Math.min(cap, x));

/** Writes the monitor's current features into `out` (length `FEATURE_NAMES.length`). */
export function extractFeatures(monitor: HealthMonitor, timeS: number, out: Float32Array): Float32Array {
  let i = 0;
  for (const tracker of monitor.residuals) {
    for (const cusum of tracker.sides.values()) out[i++] = Math.min(cusum.level(), LEVEL_CAP);
    out[i++] = clamp(tracker.meanZ, MEAN_CAP);
    out[i++] = tracker.activeShare;
  }
  out[i++] = clamp(monitor.boostMeanLowRpm, MEAN_CAP);
  out[i++] = clamp(monitor.boostMeanHighRpm, MEAN_CAP);

  // °C per 10 s, so the warm-up and a failing fan are a few units apart.
  const rise = monitor.trends.get('coolantC')!.slope();
  out[i++] = Number.isFinite(rise) ? clamp(10 * rise, MEAN_CAP) : 0;
  out[i++] = monitor.stuckChannels(timeS).length;
  return out;
}
