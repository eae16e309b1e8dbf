/**
 * @module The signal processor of the monitor: the WebAssembly DSP core for
 * resampling and windows, the derived metrics, and the limit evaluator.
 */
import { CHANNEL_IDS, type ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import type { Sample } from '../domain/sample.ts';
import type { DspCore } from '../core/dsp.ts';
import type { ChannelReading } from '../protocol.ts';
import { computeDerived } from './derived.ts';
import { LimitEvaluator } from './limits.ts';
import type { ProcessedTick, SignalProcessor } from './signal-processor.ts';

export class DspSignalProcessor implements SignalProcessor {
  private limits: LimitEvaluator;

  constructor(
    private readonly core: DspCore,
    private readonly profile: EngineProfile,
  ) {
    this.limits = new LimitEvaluator(profile);
  }

  push(batch: readonly Sample[]): void {
    if (batch.length > 0) this.core.push(batch);
  }

  step(timeS: number, staleChannels: readonly ChannelId[]): ProcessedTick {
    const frame = this.core.resample(timeS);
    const forcedStale = new Set(staleChannels);
    const states = this.limits.evaluate(frame, timeS);

    const channels: Partial<Record<ChannelId, ChannelReading>> = {};
    for (let i = 0; i < CHANNEL_IDS.length; i++) {
      if (frame.isPresent[i] === 0) continue;
      const id = CHANNEL_IDS[i];
      const isStale = frame.isStale[i] === 1 || forcedStale.has(id);
      channels[id] = {
        value: isStale ? null : frame.value[i],
        stale: isStale,
        state: isStale ? 'ok' : (states[id] ?? 'ok'),
      };
    }

    const derived = computeDerived(this.core, frame, this.profile, timeS);
    return { channels, derived };
  }

  reset(): void {
    this.core.reset();
    this.limits = new LimitEvaluator(this.profile);
  }
}
