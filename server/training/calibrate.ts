/**
 * @module Calibrates the alarm thresholds on healthy driving: each
 * residual side's threshold is a margin above the largest sum it reached
 * on the healthy training drives, so the monitor stays quiet on them.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import type { EngineBaseline } from '../inference/health/baseline.ts';
import { RESIDUAL_SPECS } from '../inference/health/residual-specs.ts';
import type { TickFrames } from './frames.ts';
import { runMonitor } from './run-monitor.ts';

/** Factor between the largest healthy sum and the threshold. */
export const THRESHOLD_MARGIN = 1.5;
/** Lowest threshold, in healthy spreads × seconds: about a second of a clear deviation. */
export const MIN_THRESHOLD = 1.5;

/** A healthy drive and the baseline of the engine that drove it. */
export interface HealthyDrive {
  readonly frames: TickFrames;
  readonly baseline: EngineBaseline;
  /** Ticks from this index on are not healthy (a fault's onset); the drive's length when healthy. */
  readonly healthyUntil: number;
}

/** Per residual side: the largest healthy sum and the calibrated threshold. */
export interface Calibration {
  readonly thresholds: Record<string, number>;
  readonly maxHealthySums: Record<string, number>;
}

/** Runs the monitor over healthy drives without alarms and sets each threshold above their maxima. */
export function calibrateThresholds(drives: readonly HealthyDrive[], profile: EngineProfile, onDrive?: () => void): Calibration {
  const unbounded = Object.fromEntries(
    RESIDUAL_SPECS.flatMap((spec) => spec.sides.map((side) => [`${spec.id}.${side}`, Number.MAX_VALUE])),
  );
  const maxHealthySums: Record<string, number> = Object.fromEntries(Object.keys(unbounded).map((k) => [k, 0]));

  for (const drive of drives) {
    runMonitor(drive.frames, profile, drive.baseline, unbounded, (monitor, index) => {
      if (index >= drive.healthyUntil) return;
      for (const tracker of monitor.residuals) {
        for (const [side, cusum] of tracker.sides) {
          const key = `${tracker.spec.id}.${side}`;
          if (cusum.sum > maxHealthySums[key]) maxHealthySums[key] = cusum.sum;
        }
      }
    });
    onDrive?.();
  }

  const thresholds = Object.fromEntries(
    Object.entries(maxHealthySums).map(([key, max]) => [key, round(Math.max(MIN_THRESHOLD, THRESHOLD_MARGIN * max))]),
  );
  return { thresholds, maxHealthySums: Object.fromEntries(Object.entries(maxHealthySums).map(([k, v]) => [k, round(v)])) };
}

function round(value: number): number {
  return Number(value.toFixed(3));
}
