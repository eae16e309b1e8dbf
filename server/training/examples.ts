/**
 * @module Turns drives into classifier examples. Each is the monitor's
 * feature vector, taken once per second and labelled healthy before the
 * onset and with the active fault once residual evidence has appeared.
 * Synthetic "unknown" examples add residuals that break in combinations no
 * modelled fault produces.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import { Prng } from '../engine/prng.ts';
import type { EngineBaseline } from '../inference/health/baseline.ts';
import { extractFeatures, FEATURE_NAMES } from '../inference/health/features.ts';
import type { CusumThresholds, HealthMonitor } from '../inference/health/monitor.ts';
import type { FaultCase } from './dataset.ts';
import { runMonitor } from './run-monitor.ts';

/** Level of residual evidence from which a tick after the onset is labelled with the fault. */
export const LABEL_EVIDENCE_LEVEL = 0.5;
const SAMPLE_EVERY_S = 1;

/** Feature rows and labels (class indices). */
export interface Examples {
  features: number[][];
  labels: number[];
}

/** Returns the strongest engine residual level of the monitor (1 = alarm); sensor checks do not count. */
export function strongestLevel(monitor: HealthMonitor): number {
  let strongest = 0;
  for (const tracker of monitor.residuals) {
    if (tracker.spec.subsystem === 'sensors') continue;
    for (const cusum of tracker.sides.values()) strongest = Math.max(strongest, cusum.level());
  }
  return strongest;
}

/** Adds examples from one case to `out`. */
export function collectExamples(
  item: FaultCase,
  profile: EngineProfile,
  baseline: EngineBaseline,
  thresholds: CusumThresholds,
  classNames: readonly string[],
  out: Examples,
): void {
  const features = new Float32Array(FEATURE_NAMES.length);
  const healthy = classNames.indexOf('healthy');
  const faultClass = item.fault ? classNames.indexOf(item.fault.kind) : healthy;
  let nextSampleS = 0;

  runMonitor(item.frames, profile, baseline, thresholds, (monitor, i) => {
    const timeS = item.frames.timeS[i];
    if (timeS < nextSampleS) return;
    nextSampleS = timeS + SAMPLE_EVERY_S;

    const isAfterOnset = item.fault !== null && timeS >= item.fault.onsetS;
    const hasEvidence = strongestLevel(monitor) >= LABEL_EVIDENCE_LEVEL;
    if (isAfterOnset && !hasEvidence) return;
    out.features.push(Array.from(extractFeatures(monitor, timeS, features)));
    out.labels.push(isAfterOnset ? faultClass : healthy);
  });
}

/**
 * Adds `count` unknown examples: healthy rows with the sums and means of two
 * residuals from different subsystems pushed out of range in random directions.
 */
export function addUnknownExamples(out: Examples, unknownClass: number, healthyClass: number, count: number, seed: number): void {
  const random = new Prng(seed);
  const healthyRows = out.features.filter((_, i) => out.labels[i] === healthyClass);
  if (healthyRows.length === 0) return;
  const groups = residualFeatureGroups();

  for (let n = 0; n < count; n++) {
    const row = healthyRows[Math.floor(random.next() * healthyRows.length)].slice();
    const first = Math.floor(random.next() * groups.length);
    let second = Math.floor(random.next() * groups.length);
    if (second === first) second = (second + 1) % groups.length;
    for (const group of [groups[first], groups[second]]) {
      const sign = random.next() < 0.5 ? -1 : 1;
      for (const index of group.levels) row[index] = 1 + 3 * random.next();
      row[group.mean] = sign * (2 + 6 * random.next());
      row[group.active] = 0.3 + 0.7 * random.next();
    }
    out.features.push(row);
    out.labels.push(unknownClass);
  }
}

function residualFeatureGroups(): { levels: number[]; mean: number; active: number }[] {
  const byResidual = new Map<string, { levels: number[]; mean: number; active: number }>();
  FEATURE_NAMES.forEach((name, index) => {
    const [residual, part] = name.split('.');
    if (part === 'meanBelowHandover' || part === 'meanAboveHandover' || residual === 'coolant' || residual === 'sensors') return;
    const group = byResidual.get(residual) ?? { levels: [], mean: -1, active: -1 };
    if (part === 'mean') group.mean = index;
    else if (part === 'active') group.active = index;
    else group.levels.push(index);
    byResidual.set(residual, group);
  });
  return [...byResidual.values()];
}
