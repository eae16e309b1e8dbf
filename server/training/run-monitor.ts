/**
 * @module Runs the health monitor over a drive on the tick grid, the same
 * per-tick steps the inference stage takes, without the pipeline.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import type { EngineBaseline } from '../inference/health/baseline.ts';
import { HealthMonitor, type CusumThresholds } from '../inference/health/monitor.ts';
import { emptySnapshot } from '../inference/health/snapshot.ts';
import { readSnapshot, type TickFrames } from './frames.ts';

/** Calls `onTick` after the monitor has taken each tick of `frames`; returns the monitor. */
export function runMonitor(
  frames: TickFrames,
  profile: EngineProfile,
  baseline: EngineBaseline,
  thresholds: CusumThresholds,
  onTick: (monitor: HealthMonitor, index: number) => void,
): HealthMonitor {
  const monitor = new HealthMonitor(profile, baseline, thresholds);
  for (let i = 0; i < frames.timeS.length; i++) {
    monitor.update(readSnapshot(frames, i, emptySnapshot()), frames.timeS[i]);
    onTick(monitor, i);
  }
  return monitor;
}
