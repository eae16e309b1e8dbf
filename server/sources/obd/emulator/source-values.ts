/**
 * @module Feeds the emulator from any monitor source (the simulator, or a
 * replayed log): runs the source with a sink that keeps the latest value
 * of each channel, and steps a recorded source to the requested time.
 */
import type { Sample } from '../../../domain/sample.ts';
import type { Source } from '../../source.ts';
import type { ChannelValues, ValueSource } from './vehicle.ts';

/** A `ValueSource` backed by a running monitor source. */
export interface RunningValueSource extends ValueSource {
  /** True once a recorded source has no more samples (values then stay at their last). */
  readonly isExhausted: () => boolean;
  stop(): Promise<void>;
}

/** Starts `source` and returns its latest values on demand; `nowS` is the emulator's clock. */
export async function valuesFromSource(source: Source, nowS: () => number): Promise<RunningValueSource> {
  const latest: ChannelValues = {};
  let isExhausted = false;
  const keepLatest = (batch: readonly Sample[]) => {
    for (const sample of batch) latest[sample.channel] = sample.value;
  };

  await source.start({
    sink: keepLatest,
    clock: { nowS },
    onStatus: () => {},
    onEvent: () => {},
  });
  const state = source.status().state;
  if (state === 'failed') {
    throw new Error(`${source.id} failed to start: ${source.status().detail ?? 'no detail'}`);
  }

  return {
    valuesAt(timeS: number): ChannelValues {
      if (source.advanceTo !== undefined && !isExhausted) isExhausted = !source.advanceTo(timeS);
      return latest;
    },
    isExhausted: () => isExhausted,
    stop: () => source.stop(),
  };
}
