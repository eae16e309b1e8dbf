/**
 * @module The pipeline owns the clock. Each tick it lets recorded sources
 * catch up to the tick time, feeds the pending samples to the signal
 * processor (resampling, derived metrics, limit states), runs the stages
 * (inference), and publishes one immutable `TickMessage` to its
 * subscribers. It does no I/O and never waits on a client or a disk:
 * subscribers must return at once and buffer or drop on their own side.
 */
import type { Sample } from '../domain/sample.ts';
import { getLogger } from '../log/logger.ts';
import type { StreamEvent, TickMessage } from '../protocol.ts';
import type { SourceManager } from '../sources/manager.ts';
import type { SignalProcessor } from './signal-processor.ts';
import type { StageOutput, TickStage } from './stage.ts';
import { LatencyWindow } from './latency-window.ts';

const log = getLogger('pipeline');

/** Upper bound on samples held between two ticks; older ones are dropped. */
const MAX_PENDING_SAMPLES = 200_000;
/**
 * Ticks between refreshes of the sources' counters in the stream, about one
 * second. Sources report changes of state at once; only their counters wait.
 */
const STATUS_REFRESH_TICKS = 24;
/** Upper bound on events held between two ticks. */
const MAX_PENDING_EVENTS = 256;

export type TickListener = (tick: TickMessage) => void;

export interface PipelineOptions {
  readonly processor: SignalProcessor;
  readonly sources: SourceManager;
  readonly stages?: readonly TickStage[];
}

export class Pipeline {
  private pending: Sample[] = [];
  private droppedSamples = 0;
  private events: StreamEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<TickListener>();
  private readonly stages: TickStage[];
  private latestTick: TickMessage | null = null;
  /** Processing time per tick in milliseconds, over recent ticks. */
  readonly processing = new LatencyWindow(4096);

  constructor(private readonly options: PipelineOptions) {
    this.stages = [...(options.stages ?? [])];
  }

  /** Accepts samples from the sources; they are processed at the next tick. */
  readonly ingest = (batch: readonly Sample[]): void => {
    if (this.pending.length + batch.length > MAX_PENDING_SAMPLES) {
      this.droppedSamples += batch.length;
      log.warn('pending samples over the limit; batch dropped', {
        limit: MAX_PENDING_SAMPLES,
        dropped: batch.length,
      });
      return;
    }
    for (const sample of batch) this.pending.push(sample);
  };

  /** Queues an event for the next tick's `events` list. */
  readonly addEvent = (kind: StreamEvent['kind'], text: string, atS = 0): void => {
    if (this.events.length >= MAX_PENDING_EVENTS) this.events.shift();
    this.events.push({ kind, text, at: atS });
  };

  /** Clears the signal history when the active source changes. */
  readonly onSourceSwitch = (): void => {
    this.options.processor.reset();
    this.pending = [];
  };

  /** Adds a stage (such as inference) that runs from the next tick on. */
  addStage(stage: TickStage): void {
    this.stages.push(stage);
  }

  /** Registers a tick listener; returns the function that removes it. */
  subscribe(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns the most recent tick, or null before the first. */
  latest(): TickMessage | null {
    return this.latestTick;
  }

  /** Number of ticks produced so far. */
  tickCount(): number {
    return this.seq;
  }

  /** Samples dropped because they arrived faster than ticks consumed them. */
  dropped(): number {
    return this.droppedSamples;
  }

  /**
   * Runs one tick at `timeS` on the session clock. Returns null, without
   * publishing, once a maximum-speed replay is exhausted.
   */
  async tick(timeS: number): Promise<TickMessage | null> {
    const startedMs = performance.now();
    const { sources, processor } = this.options;

    const hasMore = sources.advanceTo(timeS);
    if (this.seq % STATUS_REFRESH_TICKS === 0) sources.refresh();

    const batch = this.pending;
    this.pending = [];
    if (!hasMore && batch.length === 0) return null;
    processor.push(batch);

    const snapshot = sources.snapshot();
    const { channels, derived } = processor.step(timeS, snapshot.staleChannels ?? []);
    const stageOutput = await this.runStages(timeS, channels, derived);

    const events = this.events;
    this.events = [];
    const tick: TickMessage = Object.freeze({
      type: 'tick',
      seq: this.seq,
      timeS,
      wallMs: Date.now(),
      processingMs: performance.now() - startedMs,
      channels,
      derived,
      sources: sources.section({ isCompact: true }),
      ...stageOutput,
      ...(snapshot.codes ? { codes: snapshot.codes } : {}),
      ...(snapshot.bus ? { bus: snapshot.bus } : {}),
      ...(events.length > 0 ? { events } : {}),
    });
    this.seq += 1;
    this.processing.record(tick.processingMs);
    this.publish(tick);
    return tick;
  }

  // TODO: run the stages on batches of ticks during a maximum-speed replay; the fixed cost of
  // each model call limits such a replay to about 230 times real time on a 2-core machine.
  private async runStages(
    timeS: number,
    channels: TickMessage['channels'],
    derived: TickMessage['derived'],
  ): Promise<StageOutput> {
    let output: StageOutput = {};
    for (const stage of this.stages) {
      try {
        const result = await stage.process({ seq: this.seq, timeS, channels, derived });
        output = { ...output, ...result };
      } catch (error) {
        log.error('tick stage failed', { stage: stage.name, seq: this.seq, error });
      }
    }
    return output;
  }

  private publish(tick: TickMessage): void {
    this.latestTick = tick;
    for (const listener of this.listeners) {
      try {
        listener(tick);
      } catch (error) {
        log.error('tick listener failed', { seq: tick.seq, error });
      }
    }
  }
}
