/**
 * @module Puts a fault on a real healthy log: the engine model's
 * superimposer for that fault changes each tick's recorded values from the
 * onset on, at the fault's ramped severity, and the ticks are labelled.
 */
import type { ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import {
  createFaultState,
  faultDefinition,
  rampedSeverity,
  type ChannelValues,
  type FaultKind,
  type OperatingPoint,
  type StepLabel,
} from '../engine/index.ts';
import type { TickFrames } from './frames.ts';

/** A fault to put on a log. */
export interface SuperimposedFault {
  readonly kind: FaultKind;
  readonly onsetS: number;
  readonly severity: number;
  readonly seed: number;
}

const value = (frames: TickFrames, id: ChannelId, i: number) => frames.channels[id]?.[i] ?? NaN;

function operatingPoint(frames: TickFrames, i: number): OperatingPoint {
  return {
    rpm: value(frames, 'rpm', i),
    throttlePct: value(frames, 'throttlePct', i),
    engineLoadPct: value(frames, 'engineLoadPct', i),
    mapKpa: value(frames, 'mapKpa', i),
    boostKpa: value(frames, 'boostKpa', i),
    baroKpa: value(frames, 'baroKpa', i),
    mafGs: value(frames, 'mafGs', i),
    coolantC: value(frames, 'coolantC', i),
    oilTempC: value(frames, 'oilTempC', i),
    iatC: value(frames, 'iatC', i),
    ambientC: value(frames, 'ambientC', i),
    speedKmh: value(frames, 'speedKmh', i),
    lateralG: value(frames, 'lateralG', i),
  };
}

/** Returns a copy of `frames` with `fault` superimposed from its onset and the ticks labelled. */
export function superimposeFault(frames: TickFrames, fault: SuperimposedFault, profile: EngineProfile): TickFrames {
  const definition = faultDefinition(fault.kind);
  const state = createFaultState(fault.kind, fault.seed);
  const channels: Partial<Record<ChannelId, Float64Array>> = {};
  for (const [id, column] of Object.entries(frames.channels)) channels[id as ChannelId] = column!.slice();
  const labels: StepLabel[] = frames.labels.slice();
  const ids = Object.keys(channels) as ChannelId[];

  for (let i = 0; i < frames.timeS.length; i++) {
    const sinceOnsetS = frames.timeS[i] - fault.onsetS;
    if (sinceOnsetS < 0) continue;
    const values: ChannelValues = {};
    for (const id of ids) {
      const v = channels[id]![i];
      if (Number.isFinite(v)) values[id] = v;
    }
    definition.superimpose(
      {
        profile,
        point: operatingPoint(frames, i),
        values,
        severity: rampedSeverity(definition, fault.severity, sinceOnsetS),
        sinceOnsetS,
        dtS: i > 0 ? frames.timeS[i] - frames.timeS[i - 1] : 0,
      },
      state,
    );
    for (const id of ids) if (values[id] !== undefined) channels[id]![i] = values[id]!;
    labels[i] = fault.kind;
  }
  return { name: `${frames.name} + ${fault.kind}`, timeS: frames.timeS, channels, labels };
}
