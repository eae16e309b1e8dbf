/**
 * @module Drives on the tick grid (23.6 Hz), in columns: simulated drives
 * as the engine model writes them, and real logs resampled with hold-last
 * and each channel's staleness limit, so training, calibration and
 * evaluation see the same values the pipeline would.
 */
import { channelSpec, type ChannelId } from '../domain/channels.ts';
import { simulateDrive, type DriveOptions, type StepLabel } from '../engine/index.ts';
import { HEALTH_CHANNELS, emptySnapshot, type ChannelSnapshot } from '../inference/health/snapshot.ts';
import { TICK_HZ } from '../protocol.ts';
import type { Recording } from '../sources/replay/recording.ts';

/** A drive on the tick grid. */
export interface TickFrames {
  readonly name: string;
  readonly timeS: Float64Array;
  /** Values per tick, NaN where stale or absent. */
  readonly channels: Partial<Record<ChannelId, Float64Array>>;
  /** Ground truth per tick: the active fault or 'healthy'. */
  readonly labels: readonly StepLabel[];
}

/** Tick length in seconds. */
export const TICK_S = 1 / TICK_HZ;

/** Simulates a drive directly on the tick grid. */
export function simulatedFrames(name: string, options: Omit<DriveOptions, 'stepS'>): TickFrames {
  const drive = simulateDrive({ ...options, stepS: TICK_S });
  return { name, timeS: drive.timeS, channels: { ...drive.channels }, labels: drive.faultActive };
}

/** Resamples a recording onto the tick grid, holding each value until it goes stale. */
export function recordingFrames(name: string, recording: Recording): TickFrames {
  const ticks = Math.floor(recording.durationS / TICK_S) + 1;
  const timeS = Float64Array.from({ length: ticks }, (_, i) => i * TICK_S);
  const channels: Partial<Record<ChannelId, Float64Array>> = {};

  for (const channel of recording.channels) {
    const staleAfterS = channelSpec(channel.id).staleAfterS;
    const column = new Float64Array(ticks).fill(NaN);
    let source = 0;
    for (let i = 0; i < ticks; i++) {
      while (source + 1 < channel.timesS.length && channel.timesS[source + 1] <= timeS[i]) source++;
      const age = timeS[i] - channel.timesS[source];
      if (age >= 0 && age <= staleAfterS) column[i] = channel.values[source];
    }
    channels[channel.id] = column;
  }
  return { name, timeS, channels, labels: new Array<StepLabel>(ticks).fill('healthy') };
}

/** Fills `snapshot` with the values of tick `index`. */
export function readSnapshot(frames: TickFrames, index: number, snapshot: ChannelSnapshot = emptySnapshot()): ChannelSnapshot {
  for (const id of HEALTH_CHANNELS) {
    const column = frames.channels[id];
    snapshot[id] = column === undefined ? NaN : column[index];
  }
  return snapshot;
}

/** Returns the frames between two tick indices, sharing nothing with the original. */
export function sliceFrames(frames: TickFrames, name: string, start: number, end: number): TickFrames {
  const channels: Partial<Record<ChannelId, Float64Array>> = {};
  for (const [id, column] of Object.entries(frames.channels)) channels[id as ChannelId] = column!.slice(start, end);
  const timeS = frames.timeS.slice(start, end).map((t) => t - frames.timeS[start]);
  return { name, timeS, channels, labels: frames.labels.slice(start, end) };
}
