/**
 * @module Superimposes faults on a recorded healthy log: each step's
 * operating point is read from the healthy values, then every fault that
 * has started changes the step's recorded channels as it would on the car.
 * Channels the log lacks stay absent; the input log is not modified.
 */
import type { ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import {
  createFaultState,
  rampedSeverity,
  type ChannelValues,
  type FaultDefinition,
  type FaultState,
  type OperatingPoint,
} from './faults/index.ts';
import { SimulationConfigError, validateFaultSpec, type FaultSpec } from './model.ts';
import { STEP_LABELS, type StepLabel } from './simulate.ts';

/** A log in columns: one time axis and canonical channels of the same length. */
export interface ChannelLog {
  readonly timeS: Float64Array;
  readonly channels: Readonly<Partial<Record<ChannelId, Float64Array>>>;
}

/** The log with faults superimposed, and the ground-truth label per step. */
export interface SuperimposedLog {
  readonly timeS: Float64Array;
  readonly channels: Readonly<Partial<Record<ChannelId, Float64Array>>>;
  readonly faultActive: readonly StepLabel[];
  readonly faultCode: Uint8Array;
}

/** Returns the operating point of a step from its healthy values; absent quantities are NaN. */
export function operatingPoint(values: ChannelValues): OperatingPoint {
  const read = (id: ChannelId) => values[id] ?? NaN;
  return {
    rpm: read('rpm'),
    throttlePct: read('throttlePct'),
    engineLoadPct: read('engineLoadPct'),
    mapKpa: read('mapKpa'),
    boostKpa: read('boostKpa'),
    baroKpa: read('baroKpa'),
    mafGs: read('mafGs'),
    coolantC: read('coolantC'),
    oilTempC: read('oilTempC'),
    iatC: read('iatC'),
    ambientC: read('ambientC'),
    speedKmh: read('speedKmh'),
    lateralG: read('lateralG'),
  };
}

/**
 * Returns a copy of `log` with `faults` superimposed, deterministic for a
 * seed. Every channel column must have one value per time step. Throws a
 * `SimulationConfigError` for mismatched columns or invalid faults.
 */
export function superimposeFaults(
  log: ChannelLog,
  faults: readonly FaultSpec[],
  profile: EngineProfile,
  seed: number,
): SuperimposedLog {
  const steps = log.timeS.length;
  const ids = Object.keys(log.channels) as ChannelId[];
  const columns = ids.map((id) => copyColumn(log, id));
  const active = faults.map((spec) => prepareFault(spec, profile, seed));
  const faultActive: StepLabel[] = new Array(steps);
  const faultCode = new Uint8Array(steps);
  const startS = steps > 0 ? log.timeS[0] : 0;

  for (let i = 0; i < steps; i++) {
    const values: ChannelValues = {};
    ids.forEach((id, c) => (values[id] = columns[c][i]));
    const point = operatingPoint(values);
    const dtS = i > 0 ? Math.max(0, log.timeS[i] - log.timeS[i - 1]) : 0;
    const label = applyFaults(active, { profile, point, values, dtS }, log.timeS[i] - startS);

    ids.forEach((id, c) => (columns[c][i] = values[id]!));
    faultActive[i] = label;
    faultCode[i] = STEP_LABELS.indexOf(label);
  }

  const channels: Partial<Record<ChannelId, Float64Array>> = {};
  ids.forEach((id, c) => (channels[id] = columns[c]));
  return { timeS: log.timeS.slice(), channels, faultActive, faultCode };
}

interface ActiveFault {
  readonly spec: FaultSpec;
  readonly definition: FaultDefinition;
  readonly state: FaultState;
}

function prepareFault(spec: FaultSpec, profile: EngineProfile, seed: number): ActiveFault {
  const definition = validateFaultSpec(spec, profile);
  return { spec, definition, state: createFaultState(spec.kind, seed) };
}

function applyFaults(
  active: readonly ActiveFault[],
  step: { profile: EngineProfile; point: OperatingPoint; values: ChannelValues; dtS: number },
  elapsedS: number,
): StepLabel {
  let label: StepLabel = 'healthy';
  let latestOnset = -Infinity;
  for (const { spec, definition, state } of active) {
    const sinceOnsetS = elapsedS - spec.onsetS;
    const severity = rampedSeverity(definition, spec.severity, sinceOnsetS);
    if (sinceOnsetS < 0 || spec.severity <= 0) continue;

    definition.superimpose({ ...step, severity, sinceOnsetS }, state);
    if (spec.onsetS >= latestOnset) {
      label = spec.kind;
      latestOnset = spec.onsetS;
    }
  }
  return label;
}

function copyColumn(log: ChannelLog, id: ChannelId): Float64Array {
  const column = log.channels[id]!;
  if (column.length !== log.timeS.length) {
    throw new SimulationConfigError(
      `Channel ${id} has ${column.length} values but the log has ${log.timeS.length} steps: ` +
        'resample every channel onto the log time axis first.',
    );
  }
  return column.slice();
}
