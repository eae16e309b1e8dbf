/**
 * @module Replays a CAN capture (candump `.log` or Vector `.asc`) through
 * the DBC decoder as a recorded source: the pipeline pulls frames up to
 * each tick with `advanceTo`, at recorded speed, scaled, or as fast as the
 * pipeline steps (`speed=max`).
 */
import {
  SourceConfigError,
  type Source,
  type SourceContext,
  type SourceOptions,
} from '../source.ts';
import { CanSourceBase } from './can-source-base.ts';
import { openCaptureFile, type CaptureFormat } from './capture/index.ts';
import { CaptureFormatError } from './errors.ts';
import { createFrame, type CanFrame, type FrameReader } from './frame.ts';
import type { CanIngest } from './ingest.ts';
import { createIngest, resolveCanSetup, splitSpec } from './options.ts';

/** Bad capture lines reported as events before the rest are only counted. */
const REPORTED_BAD_LINES = 5;

/** Playback settings from the `?speed=` option. */
interface Playback {
  /** Capture seconds per session second; 1 when `isMaxSpeed`. */
  readonly speed: number;
  readonly isMaxSpeed: boolean;
}

function parsePlayback(query: URLSearchParams): Playback {
  const text = query.get('speed') ?? '1';
  if (text === 'max') return { speed: 1, isMaxSpeed: true };
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new SourceConfigError(`Invalid speed "${text}": use a positive number or "max".`);
  }
  return { speed, isMaxSpeed: false };
}

/**
 * Builds a replay source for `CAPTURE?speed=N|max&channel=can0` decoded with
 * `--dbc`. `channel` keeps only frames of one interface. Throws
 * `SourceConfigError` for a missing DBC, an unreadable capture or a bad option.
 */
export function createCaptureReplaySource(spec: string, options: SourceOptions): Source {
  const { path, query } = splitSpec(spec);
  const setup = resolveCanSetup(query, options);
  const playback = parsePlayback(query);
  let capture: { format: CaptureFormat; reader: FrameReader };
  try {
    capture = openCaptureFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SourceConfigError(`Cannot replay ${path}: ${reason}`);
  }
  const { ingest, warnings } = createIngest(setup);
  return new CaptureReplaySource(`replay:${spec}`, capture, ingest, playback, query.get('channel'), warnings);
}

/** A capture replayed on the session clock. */
export class CaptureReplaySource extends CanSourceBase {
  readonly kind = 'replay' as const;
  readonly isMaxSpeed: boolean;
  /** Speed-up factor the pipeline applies to its clock. */
  readonly playbackSpeed: number | undefined;
  private readonly frame: CanFrame = createFrame();
  private hasPendingFrame = false;
  private isExhausted = false;
  private originSessionS = 0;
  private originCaptureS = Number.NaN;
  private lastTimeS = 0;
  private badLines = 0;

  constructor(
    id: string,
    private readonly capture: { format: CaptureFormat; reader: FrameReader },
    ingest: CanIngest,
    private readonly playback: Playback,
    private readonly channelFilter: string | null,
    warnings: readonly string[] = [],
  ) {
    super(id, ingest, warnings);
    this.isMaxSpeed = playback.isMaxSpeed;
    this.playbackSpeed = playback.isMaxSpeed ? undefined : playback.speed;
  }

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.logWarnings();
    this.originSessionS = context.clock.nowS();
    this.lastTimeS = this.originSessionS;
    this.setState('live', `${this.capture.format} capture`);
  }

  async stop(): Promise<void> {
    if (this.state !== 'ended') this.setState('stopped', '');
  }

  /** Delivers every frame stamped at or before `timeS`; false once the capture is exhausted. */
  advanceTo(timeS: number): boolean {
    if (this.isExhausted) return false;
    this.lastTimeS = timeS;
    while (this.hasPendingFrame || this.readFrame()) {
      const sessionS = this.sessionTime(this.frame.timeS);
      if (sessionS > timeS) {
        this.hasPendingFrame = true;
        break;
      }
      this.hasPendingFrame = false;
      this.ingest.accept(this.frame, sessionS);
    }
    this.flush();
    if (!this.hasPendingFrame) {
      this.isExhausted = true;
      const frames = this.ingest.health.snapshot(timeS).frames;
      this.setState('ended', `end of capture after ${frames} frames`);
      this.context?.onEvent('log-end', `end of capture after ${frames} frames`);
    }
    return !this.isExhausted;
  }

  protected healthTimeS(): number {
    return this.lastTimeS;
  }

  protected transportExtra(): Record<string, unknown> {
    return { format: this.capture.format, badLines: this.badLines };
  }

  private sessionTime(captureS: number): number {
    if (Number.isNaN(this.originCaptureS)) this.originCaptureS = captureS;
    // The session clock runs `speed` times faster than the wall (see
    // `playbackSpeed`), so capture time maps onto it one to one.
    return this.originSessionS + (captureS - this.originCaptureS);
  }

  // Reads the next frame of the selected channel; a bad line is reported
  // and skipped, so one damaged line does not end the replay.
  private readFrame(): boolean {
    for (;;) {
      try {
        if (!this.capture.reader.next(this.frame)) return false;
      } catch (error) {
        if (!(error instanceof CaptureFormatError)) throw error;
        this.badLines++;
        if (this.badLines <= REPORTED_BAD_LINES) this.context?.onEvent('gap', `skipped ${error.message}`);
        continue;
      }
      if (this.channelFilter === null || this.frame.channel === this.channelFilter) return true;
    }
  }
}
