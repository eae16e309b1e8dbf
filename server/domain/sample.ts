/**
 * @module The unit of data that flows from sources into the pipeline.
 */
import type { ChannelId } from './channels.ts';

/**
 * One measurement in canonical channel and unit. `timeS` is on the
 * monitor's session clock (seconds since the pipeline started, or the
 * replayed log's time mapped onto that clock), never a wall-clock time.
 */
export interface Sample {
  readonly channel: ChannelId;
  readonly value: number;
  readonly timeS: number;
}

/** Receives batches of samples from a source; never throws. */
export type SampleSink = (batch: readonly Sample[]) => void;
