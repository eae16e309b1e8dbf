/**
 * @module TypeScript face of the WebAssembly DSP core: maps canonical channel
 * ids to the core's channel indices (the order of `CHANNEL_IDS`), moves
 * sample batches through the core's linear memory, and reads resampled
 * frames, slopes, window statistics and EWMAs back out.
 *
 * Samples of one channel must arrive in non-decreasing `timeS`. A sample
 * older than the newest stored sample of its channel is dropped and counted
 * in `counters().droppedOutOfOrder`; a sample with the same time is kept.
 */
import {
  CHANNELS,
  CHANNEL_IDS,
  type ChannelId,
  channelIndex,
} from '../domain/channels.ts';
import type { Sample } from '../domain/sample.ts';
import { type CoreExports, instantiateCore } from './instance.ts';

/** Samples kept per channel when no capacity is given: 80 s at 50 Hz. */
export const DEFAULT_RING_CAPACITY = 4096;

/** Samples copied into the core per call when a batch is large. */
export const DEFAULT_STAGING_CAPACITY = 1024;

/** Default EWMA time constant in seconds. */
export const DEFAULT_EWMA_TIME_CONSTANT_S = 1;

const STATE_ABSENT = 0;
const STATE_STALE = 2;

/** Options of `loadDspCore`. */
export interface DspCoreOptions {
  /** Samples kept per channel; a window longer than the ring covers sees fewer. */
  readonly capacity?: number;
  /** Samples moved into the core per call. */
  readonly stagingCapacity?: number;
  /** Staleness limits in seconds that replace the channel table's. */
  readonly staleAfterS?: Partial<Record<ChannelId, number>>;
  /** EWMA time constants in seconds by channel. */
  readonly ewmaTimeConstantS?: Partial<Record<ChannelId, number>>;
}

/**
 * Every channel's value at one tick, indexed by channel index (the order of
 * `CHANNEL_IDS`). The arrays are copies that later calls do not change.
 */
export interface ResampledFrame {
  readonly timeS: number;
  /** Held value; NaN when the channel is absent or stale. */
  readonly value: Float64Array;
  /** Seconds since the held sample; NaN when absent. */
  readonly ageS: Float64Array;
  /** 1 when a sample exists at or before `timeS` but is too old. */
  readonly isStale: Uint8Array;
  /** 1 when a sample exists at or before `timeS`, stale or not. */
  readonly isPresent: Uint8Array;
}

/** Min, max and sample mean of a window, with its sample count. */
export interface WindowStats {
  readonly min: number;
  readonly max: number;
  /** Mean of the samples, each weighted equally whatever its spacing. */
  readonly mean: number;
  readonly count: number;
  /** Seconds from the oldest to the newest sample in the window. */
  readonly spanS: number;
}

/** Least-squares slope of a window with the samples it rests on. */
export interface SlopeFit {
  /** Channel units per second. */
  readonly slope: number;
  readonly count: number;
  /** Seconds from the oldest to the newest sample in the window. */
  readonly spanS: number;
}

/** Counts of samples since start-up or the last `reset`. */
export interface DspCounters {
  readonly accepted: number;
  readonly droppedOutOfOrder: number;
  /** Non-finite time or value. */
  readonly rejectedInvalid: number;
  /** Channel name that is not a canonical channel id. */
  readonly rejectedUnknownChannel: number;
}

/** Runs the DSP core for all canonical channels. */
export class DspCore {
  private readonly core: CoreExports;
  private readonly stagingCapacity: number;
  private buffer: ArrayBuffer | null = null;
  private stagingChannels = new Int32Array(0);
  private stagingTimes = new Float64Array(0);
  private stagingValues = new Float64Array(0);
  private resampledValues = new Float64Array(0);
  private resampledAges = new Float64Array(0);
  private resampledStates = new Uint8Array(0);
  private stats = new Float64Array(0);
  private accepted = 0;
  private rejectedUnknownChannel = 0;

  /** Wraps an initialised core instance; use `loadDspCore` instead. */
  constructor(core: CoreExports) {
    this.core = core;
    this.stagingCapacity = core.stagingCapacity();
  }

  /** Stores a batch of samples; returns how many were stored. */
  push(samples: readonly Sample[]): number {
    const views = this.refreshViews();
    let stored = 0;
    let staged = 0;

    for (const sample of samples) {
      const index = INDEX_BY_NAME.get(sample.channel);
      if (index === undefined) {
        this.rejectedUnknownChannel += 1;
        continue;
      }
      views.stagingChannels[staged] = index;
      views.stagingTimes[staged] = sample.timeS;
      views.stagingValues[staged] = sample.value;
      staged += 1;
      if (staged === this.stagingCapacity) {
        stored += this.core.pushBatch(staged);
        staged = 0;
      }
    }
    if (staged > 0) stored += this.core.pushBatch(staged);

    this.accepted += stored;
    return stored;
  }

  /** Resamples every channel at `timeS` with hold-last and staleness. */
  resample(timeS: number): ResampledFrame {
    const views = this.refreshViews();
    this.core.resample(timeS);

    const states = views.resampledStates;
    const isStale = new Uint8Array(states.length);
    const isPresent = new Uint8Array(states.length);
    for (let i = 0; i < states.length; i++) {
      isPresent[i] = states[i] === STATE_ABSENT ? 0 : 1;
      isStale[i] = states[i] === STATE_STALE ? 1 : 0;
    }
    return {
      timeS,
      value: views.resampledValues.slice(),
      ageS: views.resampledAges.slice(),
      isStale,
      isPresent,
    };
  }

  /**
   * Returns the least-squares slope in channel units per second over
   * [timeS - windowS, timeS], or null with fewer than two samples there.
   */
  slope(channel: ChannelId, windowS: number, timeS: number): number | null {
    const value = this.core.slope(channelIndex(channel), windowS, timeS);
    return Number.isNaN(value) ? null : value;
  }

  /**
   * Fits a least-squares line over [timeS - windowS, timeS] and returns its
   * slope, sample count and span, or null with fewer than two samples there.
   */
  slopeFit(channel: ChannelId, windowS: number, timeS: number): SlopeFit | null {
    const slope = this.core.slope(channelIndex(channel), windowS, timeS);
    if (Number.isNaN(slope)) return null;
    return {
      slope,
      count: this.core.windowCount(),
      spanS: this.core.windowSpanS(),
    };
  }

  /**
   * Returns min, max and sample mean over [timeS - windowS, timeS], or null
   * when no sample falls in the window.
   */
  windowStats(
    channel: ChannelId,
    windowS: number,
    timeS: number,
  ): WindowStats | null {
    const views = this.refreshViews();
    const count = this.core.windowStats(channelIndex(channel), windowS, timeS);
    if (count === 0) return null;
    const stats = views.stats;
    return {
      min: stats[0],
      max: stats[1],
      mean: stats[2],
      count,
      spanS: this.core.windowSpanS(),
    };
  }

  /** Returns the EWMA after the newest sample, or null before the first. */
  ewma(channel: ChannelId): number | null {
    const value = this.core.ewma(channelIndex(channel));
    return Number.isNaN(value) ? null : value;
  }

  /** Returns how many samples of a channel the ring buffer holds. */
  storedCount(channel: ChannelId): number {
    return this.core.storedCount(channelIndex(channel));
  }

  /** Returns the sample counters since start-up or the last reset. */
  counters(): DspCounters {
    return {
      accepted: this.accepted,
      droppedOutOfOrder: this.core.droppedOutOfOrderCount(),
      rejectedInvalid: this.core.rejectedInvalidCount(),
      rejectedUnknownChannel: this.rejectedUnknownChannel,
    };
  }

  /** Empties all buffers and EWMAs and zeroes the counters. */
  reset(): void {
    this.core.reset();
    this.accepted = 0;
    this.rejectedUnknownChannel = 0;
  }

  // Views over linear memory are rebuilt only if the memory grew, which
  // detaches the old ArrayBuffer. The core allocates only in `init`, so in
  // practice this builds them once.
  private refreshViews(): this {
    const buffer = this.core.memory.buffer;
    if (buffer === this.buffer) return this;

    const channels = CHANNEL_IDS.length;
    const staged = this.stagingCapacity;
    const core = this.core;
    this.buffer = buffer;
    this.stagingChannels = new Int32Array(buffer, core.stagingChannelsPtr(), staged);
    this.stagingTimes = new Float64Array(buffer, core.stagingTimesPtr(), staged);
    this.stagingValues = new Float64Array(buffer, core.stagingValuesPtr(), staged);
    this.resampledValues = new Float64Array(buffer, core.resampledValuesPtr(), channels);
    this.resampledAges = new Float64Array(buffer, core.resampledAgesPtr(), channels);
    this.resampledStates = new Uint8Array(buffer, core.resampledStatesPtr(), channels);
    this.stats = new Float64Array(buffer, core.statsPtr(), 3);
    return this;
  }
}

/** Returns a channel's fresh value in a frame, or null when absent or stale. */
export function frameValue(
  frame: Pick<ResampledFrame, 'value'>,
  channel: ChannelId,
): number | null {
  const value = frame.value[channelIndex(channel)];
  return Number.isNaN(value) ? null : value;
}

const INDEX_BY_NAME = new Map<string, number>(
  CHANNEL_IDS.map((id, index) => [id, index]),
);

/**
 * Compiles and initialises the DSP core for all canonical channels, with
 * each channel's staleness limit from the channel table unless overridden.
 * Throws a RangeError on an invalid option and an Error when the bytes are
 * not the DSP core.
 */
export async function loadDspCore(
  wasm: ArrayBuffer | Uint8Array,
  options: DspCoreOptions = {},
): Promise<DspCore> {
  const capacity = options.capacity ?? DEFAULT_RING_CAPACITY;
  const staging = options.stagingCapacity ?? DEFAULT_STAGING_CAPACITY;
  const core = await instantiateCore(wasm, CHANNEL_IDS.length, capacity, staging);

  for (const spec of CHANNELS) {
    const index = channelIndex(spec.id);
    const staleAfterS = options.staleAfterS?.[spec.id] ?? spec.staleAfterS;
    const tauS =
      options.ewmaTimeConstantS?.[spec.id] ?? DEFAULT_EWMA_TIME_CONSTANT_S;
    if (!core.setStaleAfter(index, staleAfterS)) {
      throw new RangeError(
        `Invalid staleAfterS for ${spec.id}: ${staleAfterS}; ` +
          'use a number of seconds >= 0.',
      );
    }
    if (!core.setEwmaTimeConstant(index, tauS)) {
      throw new RangeError(
        `Invalid EWMA time constant for ${spec.id}: ${tauS}; ` +
          'use a finite number of seconds > 0.',
      );
    }
  }
  return new DspCore(core);
}
