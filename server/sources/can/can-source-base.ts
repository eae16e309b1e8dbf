/**
 * @module State every CAN source shares (SocketCAN, SLCAN, capture
 * replay): status, the ingest path and the per-tick snapshot. Subclasses
 * own their transport, call `ingest.accept` per frame and `flush` per batch.
 */
import type { SourceStatus } from '../../protocol.ts';
import type { Source, SourceContext, SourceSnapshot } from '../source.ts';
import type { CanIngest } from './ingest.ts';

/** Base of the CAN sources. */
export abstract class CanSourceBase implements Source {
  abstract readonly kind: SourceStatus['kind'];
  protected context: SourceContext | null = null;
  protected state: SourceStatus['state'] = 'starting';
  protected detail = '';

  constructor(
    readonly id: string,
    readonly ingest: CanIngest,
  ) {}

  abstract start(context: SourceContext): Promise<void>;
  abstract stop(): Promise<void>;

  /** Session time at which bus health is judged: the clock, or a replay's position. */
  protected abstract healthTimeS(): number;

  /** Transport figures for `status.extra`, such as the adapter version. */
  protected abstract transportExtra(): Record<string, unknown>;

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      detail: this.detail || undefined,
      samplesReceived: this.ingest.samplesTaken(),
      extra: { ...this.transportExtra(), ...this.ingest.figures(this.healthTimeS()) },
    };
  }

  snapshot(): SourceSnapshot {
    return this.ingest.snapshot(this.healthTimeS());
  }

  /** Hands the samples of the frames accepted so far to the sink. */
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
