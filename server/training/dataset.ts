/**
 * @module The training and evaluation data set: simulated drives of the
 * engine model with faults injected at chosen onsets and severities,
 * healthy simulated drives, and real healthy logs with faults superimposed.
 * Every case is assigned to the training or the held-out split once, by
 * its index, and held-out cases are never used for fitting or calibration.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import { deriveSeed, Prng } from '../engine/prng.ts';
import { FAULT_KINDS, type FaultKind } from '../engine/index.ts';
import { simulatedFrames, sliceFrames, type TickFrames } from './frames.ts';
import { firstLimitWarningAfter } from './evaluation.ts';
import { visibleAfterS } from './observability.ts';
import { superimposeFault } from './superimpose.ts';

/** Size of a data set. */
export interface DatasetConfig {
  readonly seed: number;
  /** Scenarios the simulated drives cycle through. */
  readonly scenarios: readonly string[];
  readonly driveDurationS: number;
  /** Simulated fault cases per fault kind (training and held-out together). */
  readonly simCasesPerKind: number;
  /** Healthy simulated drives per scenario. */
  readonly healthyPerScenario: number;
  /** Superimposed fault cases per kind per real log. */
  readonly realCasesPerKind: number;
  /** Every `heldOutEvery`-th case of a kind goes to the held-out split. */
  readonly heldOutEvery: number;
  readonly severityRange: readonly [number, number];
}

export interface FaultCase {
  readonly id: string;
  readonly frames: TickFrames;
  readonly fault: { readonly kind: FaultKind; readonly onsetS: number; readonly severity: number } | null;
  readonly split: 'train' | 'test';
  readonly origin: 'sim' | 'real';
  /** Name of the real log the case came from, for its per-engine baseline. */
  readonly log?: string;
  /** Seconds after onset at which the fault first showed in the data; null if it never did. */
  readonly visibleAfterS?: number | null;
  /** Seconds after onset at which the fault drove a fixed profile limit to warning; null if never. */
  readonly limitAfterS?: number | null;
}

/** A real log cut in two: the first part fits its baseline, the second part is held out. */
export interface RealLogSplit {
  readonly name: string;
  readonly fitPart: TickFrames;
  readonly heldOutPart: TickFrames;
}

/** Cuts a real log into its baseline-fitting first half and held-out second half. */
export function splitRealLog(drive: TickFrames): RealLogSplit {
  const middle = Math.floor(drive.timeS.length / 2);
  return {
    name: drive.name,
    fitPart: sliceFrames(drive, `${drive.name} (first half)`, 0, middle),
    heldOutPart: sliceFrames(drive, `${drive.name} (second half)`, middle, drive.timeS.length),
  };
}

/** Builds the simulated cases: healthy drives and one fault per drive. */
export function simulatedCases(config: DatasetConfig, profile: EngineProfile, onCase?: () => void): FaultCase[] {
  const random = new Prng(deriveSeed(config.seed, 1));
  const cases: FaultCase[] = [];

  config.scenarios.forEach((scenario, s) => {
    for (let k = 0; k < config.healthyPerScenario; k++) {
      const seed = deriveSeed(config.seed, 1000 + s * 100 + k);
      const frames = simulatedFrames(`healthy ${scenario} #${k}`, { seed, profile, scenario, durationS: config.driveDurationS });
      cases.push({ id: frames.name, frames, fault: null, split: split(k, config), origin: 'sim' });
      onCase?.();
    }
  });

  FAULT_KINDS.forEach((kind, f) => {
    for (let k = 0; k < config.simCasesPerKind; k++) {
      const scenario = config.scenarios[(k + f) % config.scenarios.length];
      const onsetS = Math.round(config.driveDurationS * (0.3 + 0.3 * random.next()));
      const severity = round2(lerp(config.severityRange, random.next()));
      const seed = deriveSeed(config.seed, 5000 + f * 100 + k);
      const fault = { kind, onsetS, severity };
      const drive = { seed, profile, scenario, durationS: config.driveDurationS };
      const frames = simulatedFrames(`${kind} ${scenario} #${k}`, { ...drive, faults: [fault] });
      const withoutFault = simulatedFrames('counterfactual', drive);
      cases.push({
        id: frames.name,
        frames,
        fault,
        split: split(k, config),
        origin: 'sim',
        visibleAfterS: visibleAfterS(frames, withoutFault, onsetS),
        limitAfterS: firstLimitWarningAfter(frames, profile, onsetS, withoutFault),
      });
      onCase?.();
    }
  });
  return cases;
}

/**
 * Superimposes each fault kind on the parts of real logs. A case whose
 * fault changes none of the channels the log has is dropped, because no
 * monitor could see it.
 */
export function realFaultCases(
  parts: readonly TickFrames[],
  splitOf: 'train' | 'test',
  config: DatasetConfig,
  profile: EngineProfile,
  logOf: (part: TickFrames) => string,
): FaultCase[] {
  const random = new Prng(deriveSeed(config.seed, splitOf === 'train' ? 2 : 3));
  const cases: FaultCase[] = [];
  for (const part of parts) {
    const durationS = part.timeS[part.timeS.length - 1];
    FAULT_KINDS.forEach((kind) => {
      for (let k = 0; k < config.realCasesPerKind; k++) {
        const onsetS = Math.round(durationS * (0.2 + 0.4 * random.next()));
        const severity = round2(lerp(config.severityRange, random.next()));
        const fault = { kind, onsetS, severity };
        const frames = superimposeFault(part, { ...fault, seed: Math.floor(random.next() * 1e9) }, profile);
        if (!changesAnyChannel(part, frames)) continue;
        cases.push({
          id: frames.name + ` #${k}`,
          frames,
          fault,
          split: splitOf,
          origin: 'real',
          log: logOf(part),
          visibleAfterS: visibleAfterS(frames, part, onsetS),
          limitAfterS: firstLimitWarningAfter(frames, profile, onsetS, part),
        });
      }
    });
  }
  return cases;
}

function changesAnyChannel(before: TickFrames, after: TickFrames): boolean {
  for (const [id, column] of Object.entries(after.channels)) {
    const original = before.channels[id as keyof typeof before.channels]!;
    for (let i = 0; i < column!.length; i++) {
      if (Math.abs(column![i] - original[i]) > 1e-6) return true;
    }
  }
  return false;
}

function split(index: number, config: DatasetConfig): 'train' | 'test' {
  return index % config.heldOutEvery === config.heldOutEvery - 1 ? 'test' : 'train';
}

function lerp([low, high]: readonly [number, number], share: number): number {
  return low + (high - low) * share;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
