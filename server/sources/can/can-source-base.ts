/**
 * @module State every CAN source shares (SocketCAN, SLCAN, capture
 * replay): status, the ingest path and the per-tick snapshot. Subclasses
 * own their transport, call `ingest.accept` per frame and `flush` per batch.
 */
import { getLogger } from '../../log/logger.ts';
import type { SourceStatus } from '../../protocol.ts';
import type { Source, SourceContext, SourceSnapshot } from '../source.ts';
import type { CanIngest } from './ingest.ts';

const log = getLogger('sources.can');

/** Base of the CAN sources. */
export abstract class CanSourceBase implements Source {
  abstract readonly kind: SourceStatus['kind'];
  protected context: SourceContext | null = null;
  protected state: SourceStatus['state'] = 'starting';
  protected detail = '';

  constructor(
    readonly id: string,
    readonly ingest: CanIngest,
    /** Setup problems that do not stop decoding; kept in the status detail. */
    readonly warnings: readonly string[] = [],
  ) {}

  abstract start(context: SourceContext): Promise<void>;
  abstract stop(): Promise<void>;

  /** Session time at which bus health is judged: the clock, or a replay's position. */
  protected abstract healthTimeS(): number;

  /** Transport figures for `status.extra`, such as the adapter version. */
  protected abstract transportExtra(): Record<string, unknown>;

  status(): SourceStatus {
    const detail = [this.detail, ...this.warnings].filter((text) => text !== '').join('; ');
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      detail: detail || undefined,
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

  /** Logs the setup warnings at warn level; subclasses call it once from `start`. */
  protected logWarnings(): void {
    for (const warning of this.warnings) log.warn(`CAN source ${this.id}: ${warning}`, { source: this.id });
  }

  // The manager turns a change of state into a stream event with the
  // source id, so only a new detail within the same state is sent here.
  protected setState(state: SourceStatus['state'], detail: string): void {
    if (state === this.state && detail === this.detail) return;
    const isSameState = state === this.state;
    this.state = state;
    this.detail = detail;
    this.context?.onStatus(this.status());
    if (isSameState) this.context?.onEvent('source-state', `${state}: ${detail}`);
  }
}
