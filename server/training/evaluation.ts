/**
 * @module Evaluates the monitor and both classifiers on held-out cases the
 * way the inference stage runs them. Per case it records the time from onset
 * to the first warning, the subsystem blamed, and when the profile's fixed
 * warning limit fired. On healthy time it counts the warnings raised.
 */
import { CHANNEL_IDS, channelIndex } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { faultDefinition, type FaultKind } from '../engine/index.ts';
import { assessHealth, WARNING_HEALTH, type Attribution } from '../inference/health/assess.ts';
import type { EngineBaseline } from '../inference/health/baseline.ts';
import { extractFeatures, FEATURE_NAMES } from '../inference/health/features.ts';
import { HealthMonitor, type CusumThresholds } from '../inference/health/monitor.ts';
import { emptySnapshot } from '../inference/health/snapshot.ts';
import type { PairOutput } from '../inference/model-pair.ts';
import { LimitEvaluator } from '../pipeline/limits.ts';
import type { Subsystem } from '../protocol.ts';
import type { FaultCase } from './dataset.ts';
import { strongestLevel } from './examples.ts';
import { readSnapshot, type TickFrames } from './frames.ts';

/** Evidence level from which the classifiers are run, because below it their output is not used. */
const CLASSIFY_FROM_LEVEL = 0.5;

/** Runs both backends on a feature vector. */
export type Classify = (features: Float32Array) => Promise<PairOutput>;

/** Outcome of one drive. */
export interface CaseResult {
  readonly id: string;
  readonly kind: FaultKind | null;
  readonly origin: 'sim' | 'real';
  readonly durationS: number;
  /** Seconds after onset at which the fault first showed in the data; null if never. */
  readonly visibleAfterS: number | null;
  /** Seconds from onset to the first warning; null when none came. */
  readonly detectedAfterS: number | null;
  readonly attributed: Subsystem | null;
  readonly expectedSubsystem: Subsystem | null;
  /** Seconds from onset until a fixed profile limit reached warning; null when none did. */
  readonly limitAfterS: number | null;
  /** Warnings raised on healthy ticks (before the onset, or anywhere on a healthy drive). */
  readonly falseWarnings: number;
  readonly healthyS: number;
  /** Subsystems of the false warnings. */
  readonly falseWarningSubsystems: Subsystem[];
}

/** Latencies collected while evaluating, per backend, in milliseconds. */
export type LatencyLog = Record<string, number[]>;

/** Runs one drive through the monitor, classifiers and assessment; returns what happened. */
export async function evaluateCase(
  item: FaultCase,
  profile: EngineProfile,
  baseline: EngineBaseline,
  thresholds: CusumThresholds,
  classify: Classify | null,
  classSubsystems: Record<string, Subsystem | null>,
  latencies: LatencyLog,
): Promise<CaseResult> {
  const frames = item.frames;
  const onsetS = item.fault?.onsetS ?? Infinity;
  const monitor = new HealthMonitor(profile, baseline, thresholds);
  const features = new Float32Array(FEATURE_NAMES.length);
  const snapshot = emptySnapshot();
  let detectedAfterS: number | null = null;
  let attributed: Subsystem | null = null;
  const falseWarningSubsystems: Subsystem[] = [];
  let isWarning = false;
  let isSensorWarning = false;

  for (let i = 0; i < frames.timeS.length; i++) {
    const timeS = frames.timeS[i];
    monitor.update(readSnapshot(frames, i, snapshot), timeS);

    // The assessment uses the classifiers' output only from this evidence level on, so they run only there.
    let attribution: Attribution | null = null;
    if (classify !== null && strongestLevel(monitor) >= CLASSIFY_FROM_LEVEL) {
      const output = await classify(extractFeatures(monitor, timeS, features));
      for (const backend of output.backends) (latencies[backend.backend] ??= []).push(backend.latencyMs);
      attribution = output.mean ? { probabilities: output.mean, classSubsystems } : null;
    }

    const assessment = assessHealth(monitor, timeS, attribution);
    const worst = worstEngineSubsystem(assessment.subsystems);
    const isWarningNow = assessment.subsystems[worst] <= WARNING_HEALTH;
    const isRising = isWarningNow && !isWarning;
    isWarning = isWarningNow;

    // Sensor warnings (stuck or implausible readings) never count as detecting an engine fault.
    const isSensorWarningNow = assessment.subsystems.sensors <= WARNING_HEALTH;
    if (isSensorWarningNow && !isSensorWarning && timeS < onsetS) falseWarningSubsystems.push('sensors');
    isSensorWarning = isSensorWarningNow;
    if (!isRising) continue;

    if (timeS < onsetS) {
      falseWarningSubsystems.push(worst);
    } else if (detectedAfterS === null) {
      detectedAfterS = timeS - onsetS;
      attributed = worst;
    }
  }

  const durationS = frames.timeS[frames.timeS.length - 1] ?? 0;
  return {
    id: item.id,
    kind: item.fault?.kind ?? null,
    origin: item.origin,
    durationS,
    visibleAfterS: item.visibleAfterS ?? null,
    detectedAfterS,
    attributed,
    expectedSubsystem: item.fault ? faultDefinition(item.fault.kind).subsystem : null,
    limitAfterS: item.limitAfterS ?? null,
    falseWarnings: falseWarningSubsystems.length,
    healthyS: Math.min(durationS, onsetS),
    falseWarningSubsystems,
  };
}

/** Picks the engine subsystem (all but sensors) with the lowest health; the first in order on a tie. */
function worstEngineSubsystem(subsystems: Record<Subsystem, number>): Subsystem {
  let worst: Subsystem = 'airBoost';
  for (const [name, health] of Object.entries(subsystems) as [Subsystem, number][]) {
    if (name !== 'sensors' && health < subsystems[worst]) worst = name;
  }
  return worst;
}

/**
 * Returns seconds from `onsetS` until a fixed profile limit reaches warning
 * on a channel that is not at warning in `withoutFault` (the same drive
 * without the fault) at that tick, or null when none does. Without
 * `withoutFault`, any channel at warning counts.
 */
export function firstLimitWarningAfter(
  frames: TickFrames,
  profile: EngineProfile,
  onsetS: number,
  withoutFault: TickFrames | null = null,
): number | null {
  const faulted = limitStates(frames, profile);
  const healthy = withoutFault === null ? null : limitStates(withoutFault, profile);
  let index = 0;
  for (const states of faulted) {
    const timeS = frames.timeS[index];
    const reference = healthy?.[index] ?? null;
    index++;
    if (timeS < onsetS) continue;
    for (const id of CHANNEL_IDS) {
      if (states[id] !== 'ok' && (reference === null || reference[id] === 'ok')) return timeS - onsetS;
    }
  }
  return null;
}

/** Returns the limit state of every channel at every tick of `frames`. */
function limitStates(frames: TickFrames, profile: EngineProfile): Record<string, string>[] {
  const evaluator = new LimitEvaluator(profile);
  const value = new Float64Array(CHANNEL_IDS.length);
  const columns = Object.entries(frames.channels).map(([id, column]) => [channelIndex(id as never), column!] as const);
  const states: Record<string, string>[] = [];
  for (let i = 0; i < frames.timeS.length; i++) {
    value.fill(NaN);
    for (const [index, column] of columns) value[index] = column[i];
    states.push(evaluator.evaluate({ value } as never, frames.timeS[i]));
  }
  return states;
}
