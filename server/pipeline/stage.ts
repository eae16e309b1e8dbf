/**
 * @module The extension point of the pipeline: a stage runs once per tick,
 * after resampling, derived metrics and limits, and adds a section to the
 * tick. Inference is a stage; further analyses plug in the same way.
 */
import type { ChannelId } from '../domain/channels.ts';
import type {
  ChannelReading,
  DerivedId,
  HealthSection,
} from '../protocol.ts';

/** Read-only view of a tick under construction. */
export interface TickInput {
  readonly seq: number;
  readonly timeS: number;
  readonly channels: Readonly<Partial<Record<ChannelId, ChannelReading>>>;
  readonly derived: Readonly<Partial<Record<DerivedId, number>>>;
}

/** Sections a stage may add to a tick. */
export interface StageOutput {
  readonly health?: HealthSection;
}

/** One per-tick computation after the DSP step. */
export interface TickStage {
  readonly name: string;
  /** Must not do I/O or wait on clients; it may await WebAssembly work. */
  process(input: TickInput): StageOutput | Promise<StageOutput>;
}
