/**
 * @module Superimposes engine faults onto a recorded healthy log, so a
 * replay shows how a failing turbo, cooling system, fuel or oil supply
 * would look on this engine's own driving: `replay:FILE?fault=boost-leak@120:0.6`.
 * The engine model's superimposers change each step's recorded values from
 * the onset on; channels the log lacks stay absent.
 */
import type { ChannelId } from '../../domain/channels.ts';
import type { EngineProfile } from '../../domain/profile-types.ts';
import { faultDefinition, superimposeFaults, type FaultSpec } from '../../engine/index.ts';
import type { RecordedChannel, Recording } from './recording.ts';

/** Step of the common time grid the superimposers run on: 50 Hz, the fastest usual log rate. */
const GRID_STEP_S = 0.02;

/**
 * Maximum time a channel's last value is held onto the grid. Beyond it the
 * grid has no value, so gaps in the log stay gaps after the overlay.
 */
const MAX_HOLD_S = 1;

/** Returns a copy of `recording` with `faults` superimposed, sampled on a 50 Hz grid. */
export function overlayFaults(
  recording: Recording,
  faults: readonly FaultSpec[],
  profile: EngineProfile,
  seed: number,
): Recording {
  const steps = Math.floor(recording.durationS / GRID_STEP_S) + 1;
  const timeS = new Float64Array(steps);
  for (let i = 0; i < steps; i++) timeS[i] = i * GRID_STEP_S;

  const columns: Partial<Record<ChannelId, Float64Array>> = {};
  for (const channel of recording.channels) columns[channel.id] = holdOnGrid(channel, timeS);

  const log = { timeS, channels: columns };
  const faulted = superimposeFaults(log, faults, profile, seed);
  const channels = recording.channels.map((channel) =>
    fromGrid(channel, timeS, faulted.channels[channel.id] ?? columns[channel.id]!),
  );
  const described = faults.map((f) => `${f.kind} from ${f.onsetS} s at severity ${f.severity}`);
  const unseen = faults
    .filter((fault) => !changesLog(log, superimposeFaults(log, [fault], profile, seed).channels))
    .map(
      (fault) =>
        `${fault.kind} changes nothing in this log, which lacks the channels or the driving it acts on ` +
        `(it shows as: ${faultDefinition(fault.kind).precursors})`,
    );
  return {
    ...recording,
    channels,
    warnings: [...recording.warnings, `superimposed faults: ${described.join(', ')}`, ...unseen],
  };
}

/** True when any value differs between the log and its faulted copy. */
function changesLog(
  log: { readonly channels: Partial<Record<ChannelId, Float64Array>> },
  faulted: Readonly<Partial<Record<ChannelId, Float64Array>>>,
): boolean {
  for (const [id, column] of Object.entries(log.channels)) {
    const other = faulted[id as ChannelId];
    if (!column || !other) continue;
    for (let i = 0; i < column.length; i++) {
      if (column[i] !== other[i] && !(Number.isNaN(column[i]) && Number.isNaN(other[i]))) return true;
    }
  }
  return false;
}

/** Holds each sample of a channel onto the grid for up to `MAX_HOLD_S`; NaN elsewhere. */
function holdOnGrid(channel: RecordedChannel, gridS: Float64Array): Float64Array {
  const column = new Float64Array(gridS.length).fill(Number.NaN);
  let next = 0;
  for (let i = 0; i < gridS.length; i++) {
    while (next < channel.timesS.length && channel.timesS[next] <= gridS[i]) next++;
    if (next === 0) continue;
    const last = next - 1;
    if (gridS[i] - channel.timesS[last] <= MAX_HOLD_S) column[i] = channel.values[last];
  }
  return column;
}

/** Rebuilds a recorded channel from the grid steps that have a value. */
function fromGrid(channel: RecordedChannel, gridS: Float64Array, column: Float64Array): RecordedChannel {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < gridS.length; i++) {
    if (Number.isNaN(column[i])) continue;
    times.push(gridS[i]);
    values.push(column[i]);
  }
  return { ...channel, timesS: Float64Array.from(times), values: Float64Array.from(values) };
}
