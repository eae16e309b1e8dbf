/**
 * @module Registry of the faults the engine model can inject and the
 * prediction helper can superimpose on real logs. Each fault is defined
 * once, in the file of its subsystem.
 */
import { KnockProcess } from '../ignition.ts';
import { deriveSeed, Prng } from '../prng.ts';
import { boostLeak, overboost, twinTransitionFailure } from './air.ts';
import {
  fanFailure,
  headGasketLeak,
  thermostatStuckClosed,
  thermostatStuckOpen,
} from './cooling.ts';
import { leanUnderBoost } from './fuel.ts';
import { knock } from './knock.ts';
import { oilPressureLoss } from './lubrication.ts';
import type { FaultDefinition, FaultKind, FaultState } from './types.ts';

export type * from './types.ts';
export { healthyEffects, resetEffects } from './types.ts';

/** Every fault definition, in a fixed order (the order of `FAULT_KINDS`). */
export const FAULTS: readonly FaultDefinition[] = [
  boostLeak,
  twinTransitionFailure,
  overboost,
  leanUnderBoost,
  thermostatStuckClosed,
  thermostatStuckOpen,
  fanFailure,
  headGasketLeak,
  oilPressureLoss,
  knock,
];

/** Every fault kind; index + 1 is the fault's code in `DriveResult.faultCode`. */
export const FAULT_KINDS: readonly FaultKind[] = FAULTS.map((f) => f.kind);

const BY_KIND = new Map<string, FaultDefinition>(FAULTS.map((f) => [f.kind, f]));

/** True when `name` is a known fault kind. */
export function isFaultKind(name: string): name is FaultKind {
  return BY_KIND.has(name);
}

/** Returns the definition of a fault kind. */
export function faultDefinition(kind: FaultKind): FaultDefinition {
  return BY_KIND.get(kind)!;
}

/** Creates the per-fault state for superimposing one fault, seeded for repeatability. */
export function createFaultState(kind: FaultKind, seed: number): FaultState {
  return {
    random: new Prng(deriveSeed(seed, 100 + FAULT_KINDS.indexOf(kind))),
    memory: new Float64Array(4),
    knock: new KnockProcess(),
  };
}

/** Returns the severity after the fault's ramp-in, `sinceOnsetS` after its onset. */
export function rampedSeverity(
  definition: FaultDefinition,
  severity: number,
  sinceOnsetS: number,
): number {
  if (sinceOnsetS < 0) return 0;
  if (definition.rampS <= 0) return severity;
  return severity * Math.min(1, sinceOnsetS / definition.rampS);
}
