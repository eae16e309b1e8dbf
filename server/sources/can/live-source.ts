/**
 * @module Shared state of the live CAN sources (SocketCAN, SLCAN): status,
 * the ingest path and the snapshot. Subclasses own the transport and call
 * `deliver` per frame and `flush` per received chunk.
 */
import type { SourceStatus } from '../../protocol.ts';
import type { Source, SourceContext, SourceSnapshot } from '../source.ts';
import type { CanFrame } from './frame.ts';
import type { CanIngest } from './ingest.ts';

/** Base of sources that read frames from a live bus. */
export abstract class LiveCanSource implements Source {
  readonly kind = 'hardware' as const;
  protected context: SourceContext | null = null;
  protected state: SourceStatus['state'] = 'starting';
  protected detail = '';

  constructor(
    readonly id: string,
    readonly ingest: CanIngest,
  ) {}

  abstract start(context: SourceContext): Promise<void>;
  abstract stop(): Promise<void>;

  /** Transport figures for `status.extra`, such as the adapter version. */
  protected abstract transportExtra(): Record<string, unknown>;

  status(): SourceStatus {
    const nowS = this.context?.clock.nowS() ?? 0;
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      detail: this.detail || undefined,
      samplesReceived: this.ingest.samplesTaken(),
      extra: { ...this.transportExtra(), ...this.ingest.figures(nowS) },
    };
  }

  snapshot(): SourceSnapshot {
    return this.ingest.snapshot(this.context?.clock.nowS() ?? 0);
  }

  /** Decodes one received frame stamped `timeS` on the session clock. */
  protected deliver(frame: CanFrame, timeS: number): void {
    this.ingest.accept(frame, timeS);
  }

  /** Hands the samples of the frames delivered so far to the sink. */
  protected flush(): void {
    const batch = this.ingest.takeSamples();
    if (batch.length > 0) this.context?.sink(batch);
  }

  protected setState(state: SourceStatus['state'], detail: string): void {
    if (state === this.state && detail === this.detail) return;
    this.state = state;
    this.detail = detail;
    this.context?.onStatus(this.status());
    this.context?.onEvent('source-state', `${this.id}: ${state}${detail ? ` (${detail})` : ''}`);
  }
}
