/**
 * @module The replay source itself: loads a log once at start, then
 * delivers its samples whenever the pipeline advances the session clock.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Sample } from '../../domain/sample.ts';
import type { SourceState, SourceStatus } from '../../protocol.ts';
import type { Source, SourceContext, SourceOptions } from '../source.ts';
import type { ReplaySpec } from './index.ts';
import { bundledProfile, DEFAULT_PROFILE_ID } from '../../profiles/index.ts';
import { overlayFaults } from './fault-overlay.ts';
import { buildRecording, type RecordedChannel, type Recording } from './recording.ts';
import { buildTimeline, type PlaybackEvent } from './timeline.ts';

/** Largest batch handed to the sink at once. */
const MAX_BATCH_SAMPLES = 4096;

interface ChannelCursor {
  readonly channel: RecordedChannel;
  /** Playback seconds of each sample. */
  readonly playbackS: Float64Array;
  next: number;
}

/** Plays one recorded log on the session clock. */
export class ReplaySource implements Source {
  readonly kind = 'replay' as const;
  readonly isMaxSpeed: boolean;
  /** Speed-up factor the pipeline applies to its clock; the log maps onto it one to one. */
  readonly playbackSpeed: number | undefined;
  private state: SourceState = 'stopped';
  private detail: string | undefined;
  private context: SourceContext | null = null;
  private recording: Recording | null = null;
  private cursors: ChannelCursor[] = [];
  private events: readonly PlaybackEvent[] = [];
  private nextEvent = 0;
  private durationS = 0;
  private sessionStartS = NaN;
  private playedS = 0;
  private samplesReceived = 0;
  /** True once every sample has been delivered. */
  private isDrained = false;

  constructor(
    readonly id: string,
    private readonly spec: ReplaySpec,
    private readonly options: SourceOptions,
  ) {
    this.isMaxSpeed = spec.isMaxSpeed;
    this.playbackSpeed = spec.isMaxSpeed ? undefined : spec.speed;
  }

  /** Reads and converts the whole log; a damaged file ends in state `failed`. */
  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.setState('starting');
    try {
      const bytes = new Uint8Array(await readFile(this.spec.path));
      const table = this.spec.format.open(bytes, basename(this.spec.path));
      this.load(this.withFaults(buildRecording(table, { conversion: this.spec.conversion })));
      this.setState('live', this.recording!.warnings.join('; ') || undefined);
    } catch (error) {
      this.setState('failed', error instanceof Error ? error.message : String(error));
    }
  }

  async stop(): Promise<void> {
    this.cursors = [];
    if (this.state !== 'stopped') this.setState('stopped');
  }

  status(): SourceStatus {
    const recording = this.recording;
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      detail: this.detail,
      samplesReceived: this.samplesReceived,
      extra: {
        file: this.spec.path,
        format: this.spec.format.id,
        speed: this.isMaxSpeed ? 'max' : this.spec.speed,
        durationS: recording?.durationS ?? 0,
        playbackDurationS: this.durationS,
        progress: this.durationS > 0 ? Math.min(1, this.playedS / this.durationS) : 0,
        channelsMapped: recording?.channels.map((c) => `${c.id} <- ${c.sourceName}`) ?? [],
        channelsUnmapped: recording?.unmapped.map((u) => u.name) ?? [],
      },
    };
  }

  /**
   * Delivers every sample whose playback time maps at or before `timeS`.
   * The first call anchors the start of the log at `timeS`. The call that
   * delivers the last samples also reports `log-end` and returns true, so
   * the tick that carries them is processed. The next call moves the state
   * to `ended` and returns false, as does every call after it.
   */
  advanceTo(timeS: number): boolean {
    if (this.state !== 'live' || this.context === null) return false;
    if (this.isDrained) {
      this.setState('ended');
      return false;
    }
    if (Number.isNaN(this.sessionStartS)) this.sessionStartS = timeS;

    // The session clock runs `speed` times faster than the wall, so log time
    // maps onto it one to one. The 1 ns allowance keeps a sample that lands
    // exactly on a tick from slipping to the next tick through rounding.
    const playedS = timeS - this.sessionStartS + 1e-9;
    this.playedS = Math.max(this.playedS, playedS);
    this.emitEvents();
    this.deliver();

    if (this.cursors.every((c) => c.next >= c.playbackS.length)) {
      this.isDrained = true;
      this.playedS = this.durationS;
      this.context.onEvent(
        'log-end',
        `replay of ${basename(this.spec.path)} ended after ${this.samplesReceived} samples`,
      );
    }
    return true;
  }

  /** Superimposes the requested faults, judged against the monitor's engine profile. */
  private withFaults(recording: Recording): Recording {
    if (this.spec.faults.length === 0) return recording;
    const profile = this.options.profile ?? bundledProfile(DEFAULT_PROFILE_ID)!;
    return overlayFaults(recording, this.spec.faults, profile, this.spec.faultSeed);
  }

  private load(recording: Recording): void {
    const timeline = buildTimeline(recording);
    this.recording = recording;
    this.events = timeline.events;
    this.durationS = timeline.durationS;
    this.cursors = recording.channels.map((channel) => ({
      channel,
      playbackS: timeline.toPlayback(channel.timesS),
      next: 0,
    }));
  }

  private emitEvents(): void {
    const events = this.events;
    while (this.nextEvent < events.length && events[this.nextEvent].playbackS <= this.playedS) {
      this.context!.onEvent('gap', events[this.nextEvent].text);
      this.nextEvent++;
    }
  }

  private deliver(): void {
    const batch: Sample[] = [];
    for (const cursor of this.cursors) {
      const { channel, playbackS } = cursor;
      while (cursor.next < playbackS.length && playbackS[cursor.next] <= this.playedS) {
        const i = cursor.next++;
        batch.push({
          channel: channel.id,
          value: channel.values[i],
          timeS: this.sessionStartS + playbackS[i],
        });
      }
    }
    if (batch.length === 0) return;

    batch.sort((a, b) => a.timeS - b.timeS);
    this.samplesReceived += batch.length;
    for (let i = 0; i < batch.length; i += MAX_BATCH_SAMPLES) {
      this.context!.sink(batch.slice(i, i + MAX_BATCH_SAMPLES));
    }
  }

  private setState(state: SourceState, detail?: string): void {
    this.state = state;
    this.detail = detail;
    this.context?.onStatus(this.status());
  }
}
