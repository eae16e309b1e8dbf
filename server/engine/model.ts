/**
 * @module The mean-value model of a 2JZ-GTE in a car: one `step` advances
 * driver, air path, fuel, ignition, power, vehicle, cooling, lubrication
 * and battery, with the scheduled faults acting on the parameters.
 * Deterministic for a seed: all randomness comes from seeded streams.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import { DISPLACEMENT_M3, stepAirPath } from './air.ts';
import { stepCooling } from './cooling.ts';
import {
  faultDefinition,
  healthyEffects,
  isFaultKind,
  rampedSeverity,
  resetEffects,
  type FaultDefinition,
  type FaultEffects,
  type FaultKind,
} from './faults/index.ts';
import { stepFuel } from './fuel.ts';
import { KnockProcess, stepIgnition } from './ignition.ts';
import { stepLubrication } from './lubrication.ts';
import { deriveSeed, Prng } from './prng.ts';
import type { Scenario } from './scenarios.ts';
import { readSensors } from './sensors.ts';
import { clamp, createColdState, type EngineState } from './state.ts';
import { currentSegment, stepDriver, stepVehicle, updateEngineSpeed } from './vehicle.ts';

/** A fault to inject: its kind, onset on the drive's clock and severity 0-1. */
export interface FaultSpec {
  readonly kind: FaultKind;
  readonly onsetS: number;
  readonly severity: number;
}

/** Everything that defines one simulated drive. */
export interface EngineModelOptions {
  readonly seed: number;
  readonly profile: EngineProfile;
  readonly scenario: Scenario;
  readonly faults?: readonly FaultSpec[];
}

/** A drive configuration that cannot be simulated; the message names the fix. */
export class SimulationConfigError extends Error {
  override name = 'SimulationConfigError';
}

interface ScheduledFault {
  readonly definition: FaultDefinition;
  readonly onsetS: number;
  readonly severity: number;
}

/** The simulated engine and car; call `step` and read the sensors. */
export class EngineModel {
  readonly state: EngineState;
  readonly profile: EngineProfile;
  readonly scenario: Scenario;
  private readonly faults: readonly ScheduledFault[];
  private readonly effects: FaultEffects = healthyEffects();
  private readonly knock = new KnockProcess();
  private readonly processRandom: Prng;
  private readonly sensorRandom: Prng;

  constructor(options: EngineModelOptions) {
    if (!Number.isFinite(options.seed)) {
      throw new SimulationConfigError(`Invalid seed ${options.seed}: use a finite integer.`);
    }
    this.profile = options.profile;
    this.scenario = options.scenario;
    this.faults = (options.faults ?? []).map((f) => scheduleFault(f, options.profile));
    this.processRandom = new Prng(deriveSeed(options.seed, 1));
    this.sensorRandom = new Prng(deriveSeed(options.seed, 2));

    const scenario = options.scenario;
    this.state = createColdState(scenario.ambientC, scenario.baroKpa);
    this.state.metalC = scenario.startEngineC;
    this.state.coolantC = scenario.startEngineC;
    this.state.oilTempC = scenario.startEngineC;
  }

  /** Advances the whole model by `dtS` seconds. */
  step(dtS: number): void {
    const state = this.state;
    const profile = this.profile;
    state.timeS += dtS;
    state.runTimeS += dtS;
    this.applyFaults();

    const segment = currentSegment(state, this.scenario, dtS);
    stepDriver(state, segment, profile.redlineRpm, dtS);
    updateEngineSpeed(state);

    stepAirPath(state, profile, this.effects, dtS);
    stepFuel(state, profile, this.effects, dtS);
    stepIgnition(state, profile, this.effects, this.knock, this.processRandom, dtS);
    updatePower(state, profile);
    stepVehicle(state, dtS);

    stepCooling(state, profile, this.effects, this.processRandom, dtS);
    stepLubrication(state, this.effects, dtS);
    state.batteryV = chargingVoltage(state);
  }

  /** Writes the noisy sensor readings in `SIM_CHANNELS` order into `out`. */
  readSensors(out: Float64Array): void {
    readSensors(this.state, this.profile, this.sensorRandom, out);
  }

  /** Returns the most recently started active fault, or 'healthy'. */
  activeFault(): FaultKind | 'healthy' {
    let label: FaultKind | 'healthy' = 'healthy';
    let latestOnset = -Infinity;
    for (const fault of this.faults) {
      const isActive = this.state.timeS >= fault.onsetS && fault.severity > 0;
      if (isActive && fault.onsetS >= latestOnset) {
        label = fault.definition.kind;
        latestOnset = fault.onsetS;
      }
    }
    return label;
  }

  private applyFaults(): void {
    resetEffects(this.effects);
    for (const fault of this.faults) {
      const sinceOnsetS = this.state.timeS - fault.onsetS;
      const severity = rampedSeverity(fault.definition, fault.severity, sinceOnsetS);
      if (severity > 0) fault.definition.applyToModel(this.effects, severity, this.profile);
    }
  }
}

function scheduleFault(spec: FaultSpec, profile: EngineProfile): ScheduledFault {
  const definition = validateFaultSpec(spec, profile);
  return { definition, onsetS: spec.onsetS, severity: spec.severity };
}

/**
 * Checks a fault's kind, onset and severity, and that the profile has the
 * hardware it needs; returns its definition. Throws a `SimulationConfigError`.
 */
export function validateFaultSpec(spec: FaultSpec, profile: EngineProfile): FaultDefinition {
  if (!isFaultKind(spec.kind)) {
    throw new SimulationConfigError(
      `Unknown fault kind "${spec.kind}": use one of the kinds in FAULT_KINDS, such as boost-leak.`,
    );
  }
  if (!Number.isFinite(spec.severity) || spec.severity < 0 || spec.severity > 1) {
    throw new SimulationConfigError(
      `Invalid severity ${spec.severity} for fault ${spec.kind}: use a number from 0 to 1.`,
    );
  }
  if (!Number.isFinite(spec.onsetS) || spec.onsetS < 0) {
    throw new SimulationConfigError(
      `Invalid onset ${spec.onsetS} s for fault ${spec.kind}: ` +
        'use seconds from the start, 0 or more.',
    );
  }
  if (spec.kind === 'twin-transition-failure' && profile.turbo.layout !== 'sequential-twin') {
    throw new SimulationConfigError(
      `Fault twin-transition-failure needs sequential twin turbos, but profile ${profile.id} ` +
        `has a ${profile.turbo.layout} turbo: choose another fault or the stock-twin profile.`,
    );
  }
  return faultDefinition(spec.kind);
}

/**
 * Sets brake and friction power: about 0.95 kW of indicated power per g/s
 * of air, less for lean mixture and knock retard, minus friction and
 * pumping losses.
 */
function updatePower(state: EngineState, profile: EngineProfile): void {
  const krpm = state.rpm / 1000;
  const isCut = state.isFuelCut || state.rpm > profile.redlineRpm;
  const mixtureFactor = clamp(1 - 0.6 * Math.max(0, state.lambda - 0.9), 0.3, 1);
  const retardFactor = 1 - 0.025 * state.knockRetardDeg;
  const indicatedKw = isCut ? 0 : 0.95 * state.mafGs * mixtureFactor * retardFactor;

  const frictionKw = 0.25 * krpm * krpm + 0.6 * krpm;
  const pumpingKw = Math.max(0, state.baroKpa - state.mapKpa) * DISPLACEMENT_M3 * (state.rpm / 120);
  state.frictionPowerKw = frictionKw;
  state.brakePowerKw = indicatedKw - frictionKw - pumpingKw;
}

/** Returns the battery voltage: the alternator's 14.2 V, sagging with the fan and at idle. */
function chargingVoltage(state: EngineState): number {
  const idleSag = 0.35 * clamp((1000 - state.rpm) / 300, 0, 1);
  const fanLoad = state.isFanOn ? 0.25 : 0;
  return 14.2 - idleSag - fanLoad;
}
