/**
 * @module Batch simulation for training and evaluation: runs a whole drive
 * into columnar typed arrays with a ground-truth fault label per step.
 */
import type { ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { FAULT_KINDS, type FaultKind } from './faults/index.ts';
import { EngineModel, SimulationConfigError, type FaultSpec } from './model.ts';
import { SCENARIOS, SCENARIO_IDS, type Scenario } from './scenarios.ts';
import { SIM_CHANNELS, SIM_CHANNEL_RATES_HZ } from './sensors.ts';

/** Options of one simulated drive. */
export interface DriveOptions {
  readonly seed: number;
  readonly profile: EngineProfile;
  /** A built-in scenario id such as `street`, or a scenario object. */
  readonly scenario: string | Scenario;
  readonly faults?: readonly FaultSpec[];
  readonly durationS: number;
  /** Step length in seconds; 0.02 (50 Hz) when absent. */
  readonly stepS?: number;
  /**
   * `step` (default) reads every channel at every step. `sensor` holds each
   * channel between its own sample instants (`SIM_CHANNEL_RATES_HZ`), as a
   * logger that samples temperatures at 10 Hz would record them.
   */
  readonly sampling?: 'step' | 'sensor';
}

/** Label of a step: the active fault kind, or healthy. */
export type StepLabel = FaultKind | 'healthy';

/** Labels by code: 0 is healthy, k is `FAULT_KINDS[k - 1]`. */
export const STEP_LABELS: readonly StepLabel[] = ['healthy', ...FAULT_KINDS];

/** A simulated drive in columns, one row per step. */
export interface DriveResult {
  readonly timeS: Float64Array;
  /** Every simulated channel in its canonical unit, with sensor noise. */
  readonly channels: Readonly<Partial<Record<ChannelId, Float64Array>>>;
  /** Per step: the most recently started active fault, or 'healthy'. */
  readonly faultActive: readonly StepLabel[];
  /** Per step: the index of `faultActive` in `STEP_LABELS`. */
  readonly faultCode: Uint8Array;
}

/** Returns the scenario with this id, or throws a `SimulationConfigError` naming the ids. */
export function resolveScenario(scenario: string | Scenario): Scenario {
  if (typeof scenario !== 'string') return scenario;
  const found = SCENARIOS[scenario];
  if (found === undefined) {
    throw new SimulationConfigError(
      `Unknown scenario "${scenario}": use one of ${SCENARIO_IDS.join(', ')}.`,
    );
  }
  return found;
}

/**
 * Simulates a drive of `durationS` seconds in steps of `stepS` and returns
 * every channel and the fault label per step. Deterministic for a seed.
 * Throws a `SimulationConfigError` for an invalid duration, step, scenario or fault.
 */
export function simulateDrive(options: DriveOptions): DriveResult {
  const stepS = options.stepS ?? 0.02;
  if (!Number.isFinite(stepS) || stepS <= 0 || stepS > 1) {
    throw new SimulationConfigError(`Invalid step ${stepS} s: use a step above 0 and at most 1 s.`);
  }
  if (!Number.isFinite(options.durationS) || options.durationS <= 0) {
    throw new SimulationConfigError(
      `Invalid duration ${options.durationS} s: use a positive number of seconds.`,
    );
  }

  const model = new EngineModel({ ...options, scenario: resolveScenario(options.scenario) });
  const steps = Math.floor(options.durationS / stepS + 1e-9);
  const timeS = new Float64Array(steps);
  const columns = SIM_CHANNELS.map(() => new Float64Array(steps));
  const faultActive: StepLabel[] = new Array(steps);
  const faultCode = new Uint8Array(steps);
  const reading = new Float64Array(SIM_CHANNELS.length);
  const nextSampleS = new Float64Array(SIM_CHANNELS.length);
  const isHeld = options.sampling === 'sensor';

  for (let i = 0; i < steps; i++) {
    model.step(stepS);
    model.readSensors(reading);
    const simS = model.state.timeS;
    timeS[i] = simS;
    for (let c = 0; c < columns.length; c++) {
      const isDue = !isHeld || i === 0 || simS + 1e-9 >= nextSampleS[c];
      if (isDue) nextSampleS[c] += 1 / SIM_CHANNEL_RATES_HZ[c];
      columns[c][i] = isDue ? reading[c] : columns[c][i - 1];
    }
    const label = model.activeFault();
    faultActive[i] = label;
    faultCode[i] = STEP_LABELS.indexOf(label);
  }

  const channels: Partial<Record<ChannelId, Float64Array>> = {};
  SIM_CHANNELS.forEach((id, c) => (channels[id] = columns[c]));
  return { timeS, channels, faultActive, faultCode };
}
