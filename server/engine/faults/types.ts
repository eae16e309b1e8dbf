/**
 * @module Shapes shared by every fault definition: the parameter changes a
 * fault makes to the engine model, and the step record that lets the same
 * fault be superimposed on a real, healthy log.
 */
import type { ChannelId } from '../../domain/channels.ts';
import type { EngineProfile } from '../../domain/profile-types.ts';
import type { Subsystem } from '../../protocol.ts';
import type { KnockProcess } from '../ignition.ts';
import type { Prng } from '../prng.ts';

/** Names of the faults the model and the superimposer know. */
export type FaultKind =
  | 'boost-leak'
  | 'twin-transition-failure'
  | 'overboost'
  | 'lean-under-boost'
  | 'thermostat-stuck-closed'
  | 'thermostat-stuck-open'
  | 'fan-failure'
  | 'head-gasket-leak'
  | 'oil-pressure-loss'
  | 'knock';

/**
 * Changes that active faults make to the model's parameters, reset to the
 * healthy values before each step. Every field is 0 (or 1 for factors)
 * on a healthy engine.
 */
export interface FaultEffects {
  /** Share of positive boost lost through an intake leak. */
  boostLeakShare: number;
  /** Share of the second turbo's contribution that never arrives (0-1). */
  transitionFailure: number;
  /** Boost above target at the redline with the wastegate unable to bleed, kPa. */
  boostCreepAtRedlineKpa: number;
  /** Factor on the fuel pump's flow. */
  pumpFlowFactor: number;
  /** Share of the thermostat's travel that is blocked (stuck closed). */
  thermostatBlockedShare: number;
  /** Opening (0-1) that the thermostat cannot close below (stuck open). */
  thermostatMinOpening: number;
  /** Share of the electric fan's airflow lost. */
  fanAirflowLoss: number;
  /** Share of the fuel's heat that leaks into the coolant through the gasket. */
  headGasketHeatShare: number;
  /** Rate of combustion-gas pressure spikes into the coolant under boost, per second. */
  headGasketSpikeRateHz: number;
  /** Share of oil pressure lost (worn pump, low level, blocked pickup). */
  oilPressureLossShare: number;
  /** Extra knock events per second under load. */
  extraKnockRateHz: number;
}

/** Returns the effects of a healthy engine. */
export function healthyEffects(): FaultEffects {
  return {
    boostLeakShare: 0,
    transitionFailure: 0,
    boostCreepAtRedlineKpa: 0,
    pumpFlowFactor: 1,
    thermostatBlockedShare: 0,
    thermostatMinOpening: 0,
    fanAirflowLoss: 0,
    headGasketHeatShare: 0,
    headGasketSpikeRateHz: 0,
    oilPressureLossShare: 0,
    extraKnockRateHz: 0,
  };
}

/** Copies the healthy values into `effects` in place. */
export function resetEffects(effects: FaultEffects): void {
  Object.assign(effects, healthyEffects());
}

/**
 * Operating point of one step of a healthy log, in canonical units. A
 * quantity the log lacks is NaN; superimposers fall back to estimates.
 */
export interface OperatingPoint {
  readonly rpm: number;
  readonly throttlePct: number;
  readonly engineLoadPct: number;
  readonly mapKpa: number;
  readonly boostKpa: number;
  readonly baroKpa: number;
  readonly mafGs: number;
  readonly coolantC: number;
  readonly oilTempC: number;
  readonly iatC: number;
  readonly ambientC: number;
  readonly speedKmh: number;
  readonly lateralG: number;
}

/** Recorded channel values at one step; superimposers change present channels only. */
export type ChannelValues = Partial<Record<ChannelId, number>>;

/** One step of superimposing a fault on a healthy log. */
export interface SuperimposeStep {
  readonly profile: EngineProfile;
  /** The healthy operating point, read before any fault changed the values. */
  readonly point: OperatingPoint;
  /** The step's channel values, changed in place. */
  readonly values: ChannelValues;
  /** Fault severity 0-1 after the fault's ramp-in. */
  readonly severity: number;
  readonly sinceOnsetS: number;
  readonly dtS: number;
}

/** Per-fault memory across steps of a superimposition, such as a heat offset. */
export interface FaultState {
  readonly random: Prng;
  /** Fault-specific accumulators, zero at the onset. */
  readonly memory: Float64Array;
  /** The ECU's knock response, for faults that cause knock. */
  readonly knock: KnockProcess;
}

/** One fault, defined once: its model effect and its superimposition. */
export interface FaultDefinition {
  readonly kind: FaultKind;
  readonly subsystem: Subsystem;
  /** One-sentence description of the failure. */
  readonly description: string;
  /** The precursors the fault leaves in the data. */
  readonly precursors: string;
  /** Seconds over which the fault grows from onset to full severity. */
  readonly rampS: number;
  /** Adds the fault's parameter changes at `severity` (0-1) to `effects`. */
  applyToModel(effects: FaultEffects, severity: number, profile: EngineProfile): void;
  /** Changes the recorded values of one healthy step as the fault would. */
  superimpose(step: SuperimposeStep, state: FaultState): void;
}
