/**
 * @module Runs the configured sources in the fallback order hardware,
 * recorded, simulation, manual, and makes the first live one the active
 * source. Every change of source is reported. Only the active source's
 * samples reach the pipeline, plus manual input, which always counts.
 */
import type { Sample, SampleSink } from '../domain/sample.ts';
import { getLogger } from '../log/logger.ts';
import type { SourcesSection, SourceStatus, StreamEvent } from '../protocol.ts';
import { ManualSource } from './manual.ts';
import type { Clock, Source, SourceSnapshot } from './source.ts';

const log = getLogger('sources.manager');

const KIND_RANK: Record<SourceStatus['kind'], number> = {
  hardware: 0,
  replay: 1,
  simulation: 2,
  manual: 3,
};

type EventSink = (kind: StreamEvent['kind'], text: string) => void;

export class SourceManager {
  readonly manual = new ManualSource();
  private readonly ordered: Source[];
  private readonly statuses = new Map<string, SourceStatus>();
  private activeId: string | null = null;
  /** Set once a maximum-speed replay has delivered its last sample. */
  private isReplayExhausted = false;
  private sink: SampleSink = () => {};
  private onEvent: EventSink = () => {};
  private onSwitch: (from: string | null, to: string | null) => void = () => {};

  /** Takes the configured sources; their order is by kind, then as given. */
  constructor(sources: readonly Source[]) {
    const all = [...sources, this.manual];
    this.ordered = all
      .map((source, index) => ({ source, index }))
      .sort((a, b) => KIND_RANK[a.source.kind] - KIND_RANK[b.source.kind] || a.index - b.index)
      .map((entry) => entry.source);
  }

  /** Returns all sources in fallback order. */
  all(): readonly Source[] {
    return this.ordered;
  }

  /** Returns the source whose samples currently feed the pipeline. */
  active(): Source | null {
    return this.ordered.find((s) => s.id === this.activeId) ?? null;
  }

  /** Returns the factor by which the session clock runs ahead of the wall (1 unless a replay sets it). */
  playbackSpeed(): number {
    return this.ordered.find((s) => s.playbackSpeed !== undefined)?.playbackSpeed ?? 1;
  }

  /** True when a source asked for the virtual clock of a maximum-speed replay. */
  wantsVirtualClock(): boolean {
    return this.ordered.some((s) => s.isMaxSpeed === true);
  }

  /**
   * Starts every source. Samples go to `sink`; source changes and source
   * events go to `onEvent`; `onSwitch` runs when the active source changes.
   */
  async start(
    clock: Clock,
    sink: SampleSink,
    onEvent: EventSink,
    onSwitch: (from: string | null, to: string | null) => void,
  ): Promise<void> {
    this.sink = sink;
    this.onEvent = onEvent;
    this.onSwitch = onSwitch;

    for (const source of this.ordered) {
      await this.startOne(source, clock);
    }
    this.electActive();
  }

  private async startOne(source: Source, clock: Clock): Promise<void> {
    const forward: SampleSink = (batch) => this.forward(source, batch);
    try {
      await source.start({
        clock,
        sink: forward,
        onStatus: (status) => this.updateStatus(status),
        onEvent: (kind, text) => this.onEvent(kind, `${source.id}: ${text}`),
      });
    } catch (error) {
      log.error('source failed to start', { source: source.id, error });
      this.updateStatus({
        id: source.id,
        kind: source.kind,
        state: 'failed',
        detail: error instanceof Error ? error.message : String(error),
        samplesReceived: 0,
      });
      return;
    }
    this.updateStatus(source.status());
  }

  private forward(source: Source, batch: readonly Sample[]): void {
    if (source.kind === 'manual' || source.id === this.activeId) this.sink(batch);
  }

  private updateStatus(status: SourceStatus): void {
    const previous = this.statuses.get(status.id);
    this.statuses.set(status.id, status);
    if (previous?.state !== status.state) {
      const text = `${status.id} is ${status.state}${status.detail ? `: ${status.detail}` : ''}`;
      log.info('source state changed', {
        source: status.id,
        from: previous?.state ?? null,
        to: status.state,
        detail: status.detail,
      });
      this.onEvent('source-state', text);
      this.electActive();
    }
  }

  /** Makes the first live source in fallback order the active one. */
  private electActive(): void {
    const live = this.ordered.find((s) => this.statuses.get(s.id)?.state === 'live');
    const nextId = live?.id ?? null;
    if (nextId === this.activeId) return;

    const previousId = this.activeId;
    this.activeId = nextId;
    log.info('active source changed', { from: previousId, to: nextId });
    this.onEvent('source-change', `active source: ${nextId ?? 'none'} (was ${previousId ?? 'none'})`);
    this.onSwitch(previousId, nextId);
  }

  /**
   * Lets the active recorded source deliver samples up to `timeS`; returns
   * false when a maximum-speed replay is exhausted.
   */
  advanceTo(timeS: number): boolean {
    if (this.isReplayExhausted) return false;
    const source = this.active();
    if (!source?.advanceTo) return true;

    const hasMore = source.advanceTo(timeS);
    if (hasMore) return true;

    this.isReplayExhausted = source.isMaxSpeed === true;
    this.updateStatus(source.status());
    return !this.isReplayExhausted;
  }

  /** Extras of the active source for the current tick. */
  snapshot(): SourceSnapshot {
    return this.active()?.snapshot?.() ?? {};
  }

  /**
   * Status section for `/health`, or for ticks when `isCompact`: ticks leave
   * out each source's `extra` figures, which change slowly and would
   * multiply the stream's size.
   */
  section(options: { isCompact?: boolean } = {}): SourcesSection {
    const statuses = this.ordered.map((s) => this.statuses.get(s.id) ?? s.status());
    return {
      active: this.activeId,
      sources: options.isCompact ? statuses.map(({ extra: _extra, ...rest }) => rest) : statuses,
    };
  }

  /** Refreshes the cached statuses, so counters in `/health` are current. */
  refresh(): void {
    for (const source of this.ordered) {
      const status = source.status();
      if (status.state === this.statuses.get(source.id)?.state) {
        this.statuses.set(source.id, status);
      } else {
        this.updateStatus(status);
      }
    }
  }

  async stop(): Promise<void> {
    for (const source of this.ordered) {
      try {
        await source.stop();
      } catch (error) {
        log.warn('source failed to stop cleanly', { source: source.id, error });
      }
    }
  }
}
