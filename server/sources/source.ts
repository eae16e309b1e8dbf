/**
 * @module The interface every data source implements: simulator, log and
 * capture replay, OBD-II, CAN and manual input. Sources turn bytes into
 * canonical `Sample`s and own their transport and its recovery; they never
 * see ticks, models or clients.
 */
import type { SampleSink } from '../domain/sample.ts';
import type { ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import type { StreamEvent, SourceStatus, TroubleCode } from '../protocol.ts';

/** The session clock, in seconds, shared by the pipeline and the sources. */
export interface Clock {
  nowS(): number;
}

/** Everything a source gets when it starts. */
export interface SourceContext {
  readonly sink: SampleSink;
  readonly clock: Clock;
  /** Called on every change of state, with the new status. */
  readonly onStatus: (status: SourceStatus) => void;
  /** Reports an event for the stream, such as a gap in the data. */
  readonly onEvent: (kind: StreamEvent['kind'], text: string) => void;
}

/** Per-tick extras a source contributes to the stream besides samples. */
export interface SourceSnapshot {
  readonly codes?: readonly TroubleCode[];
  /** Bus health figures of a CAN source. */
  readonly bus?: Readonly<Record<string, unknown>>;
  /** Channels whose carrier is overdue even if a held value is fresh. */
  readonly staleChannels?: readonly ChannelId[];
}

/** A live or recorded source of samples. */
export interface Source {
  /** Id as given on the command line, such as `obd:/dev/pts/3`. */
  readonly id: string;
  readonly kind: SourceStatus['kind'];

  /**
   * True for a recording replayed as fast as possible (`speed=max`): the
   * pipeline then steps a virtual clock tick by tick instead of waiting, and
   * stops when `advanceTo` returns false.
   */
  readonly isMaxSpeed?: boolean;

  /**
   * For a recording played faster or slower than recorded (`speed=4`): the
   * factor by which the pipeline's session clock runs ahead of the wall.
   * The source maps recording time onto the session clock one to one, so
   * derivatives and windows stay per second of engine time.
   */
  readonly playbackSpeed?: number;

  /**
   * Opens the transport and starts delivering samples to `context.sink`.
   * Resolves once the source is live or has failed; a failure is reported
   * through the status, not thrown, so the manager can fall back.
   */
  start(context: SourceContext): Promise<void>;

  /** Closes the transport; safe to call twice. */
  stop(): Promise<void>;

  status(): SourceStatus;

  /** Returns the source's extras for the current tick, if it has any. */
  snapshot?(): SourceSnapshot;

  /**
   * Recorded sources only: delivers every sample whose time is at or before
   * `timeS` on the session clock, and returns false once the recording is
   * exhausted. The pipeline calls it before each tick, so a replay follows
   * the pipeline's clock, real or virtual (replay at maximum speed).
   */
  advanceTo?(timeS: number): boolean;
}

/** Options common to every source factory. */
export interface SourceOptions {
  /** Extra options from the command line, such as `--dbc FILE`. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  /** Directory for logs, recordings and caches. */
  readonly dataDir: string;
  /** The monitor's engine profile, bundled or loaded from a file. */
  readonly profile?: EngineProfile;
}

/**
 * Builds a source from the part of a `--source` value after its scheme, for
 * example `../logs/a.mlg?speed=4` for `replay:../logs/a.mlg?speed=4`.
 * Throws a `SourceConfigError` with the fix when the value is invalid.
 */
export type SourceFactory = (spec: string, options: SourceOptions) => Source;

/** A `--source` value that cannot be used; the message names the fix. */
export class SourceConfigError extends Error {
  override name = 'SourceConfigError';
}
