/**
 * @module Manual and external input: samples posted to `POST /ingest` or
 * sent over the WebSocket. The source is always live and last in the
 * fallback order; its samples reach the pipeline whichever source is active.
 */
import type { Sample } from '../domain/sample.ts';
import type { SourceStatus } from '../protocol.ts';
import type { Source, SourceContext } from './source.ts';

export class ManualSource implements Source {
  readonly id = 'manual';
  readonly kind = 'manual' as const;
  private context: SourceContext | null = null;
  private samplesReceived = 0;

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    context.onStatus(this.status());
  }

  async stop(): Promise<void> {
    this.context = null;
  }

  /**
   * Stamps already-validated values with the session clock and delivers
   * them; returns how many were accepted (none before `start`).
   */
  submit(values: readonly Omit<Sample, 'timeS'>[]): number {
    if (!this.context) return 0;
    const timeS = this.context.clock.nowS();
    const batch = values.map((v) => ({ ...v, timeS }));
    this.context.sink(batch);
    this.samplesReceived += batch.length;
    return batch.length;
  }

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      state: this.context ? 'live' : 'stopped',
      samplesReceived: this.samplesReceived,
    };
  }
}
