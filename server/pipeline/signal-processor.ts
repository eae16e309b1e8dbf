/**
 * @module The DSP step of a tick: pushes samples into the WebAssembly core,
 * resamples every channel onto the tick grid, evaluates limit states and
 * computes the derived metrics.
 */
import type { ChannelId } from '../domain/channels.ts';
import type { Sample } from '../domain/sample.ts';
import type { ChannelReading, DerivedId } from '../protocol.ts';

/** Result of the DSP step at one tick. */
export interface ProcessedTick {
  readonly channels: Readonly<Partial<Record<ChannelId, ChannelReading>>>;
  readonly derived: Readonly<Partial<Record<DerivedId, number>>>;
}

export interface SignalProcessor {
  push(batch: readonly Sample[]): void;
  /**
   * Resamples at `timeS`. `staleChannels` are reported stale even when a
   * held value is fresh (their CAN message is overdue).
   */
  step(timeS: number, staleChannels: readonly ChannelId[]): ProcessedTick;
  /** Forgets all history, as after a change of source. */
  reset(): void;
}
