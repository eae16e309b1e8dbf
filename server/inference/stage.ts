/**
 * @module The inference stage of the pipeline: each tick it updates the
 * residual monitor, runs both model backends on the features in parallel,
 * and adds the health section (subsystem scores, reasons, backend outputs,
 * agreement, time to warning) to the tick.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import type { TickInput, TickStage } from '../pipeline/stage.ts';
import type { HealthSection } from '../protocol.ts';
import { assessHealth } from './health/assess.ts';
import type { EngineBaseline } from './health/baseline.ts';
import { extractFeatures, FEATURE_NAMES } from './health/features.ts';
import { HealthMonitor, type CusumThresholds } from './health/monitor.ts';
import { emptySnapshot, HEALTH_CHANNELS, type ChannelSnapshot } from './health/snapshot.ts';
import type { ModelMetadata } from './model-files.ts';
import type { ModelPair } from './model-pair.ts';
import { trainedBaseline, trainedThresholds } from './training-record.ts';

/** Settings of the inference stage. */
export interface InferenceStageOptions {
  readonly profile: EngineProfile;
  /** Both backends; null runs the residual monitor alone. */
  readonly models: ModelPair | null;
  /** This engine's own baseline from `train --baseline`; the model's default when absent. */
  readonly baseline?: EngineBaseline | null;
}

/** Builds the stage; throws when neither a per-engine baseline nor the model carries one. */
export function createInferenceStage(options: InferenceStageOptions): TickStage {
  const metadata = options.models?.metadata ?? null;
  const baseline = options.baseline ?? (metadata ? trainedBaseline(metadata) : null);
  if (baseline === null) {
    throw new Error('The inference stage needs an engine baseline: load a model set, or fit one with "2jz-monitor train --baseline LOG..."');
  }
  return new InferenceStage(options.profile, baseline, options.models);
}

class InferenceStage implements TickStage {
  readonly name = 'inference';
  private readonly monitor: HealthMonitor;
  private readonly features = new Float32Array(FEATURE_NAMES.length);
  private readonly snapshot: ChannelSnapshot = emptySnapshot();
  private metadata: ModelMetadata | null;

  constructor(
    profile: EngineProfile,
    private readonly baseline: EngineBaseline,
    private readonly models: ModelPair | null,
  ) {
    this.metadata = models?.metadata ?? null;
    this.monitor = new HealthMonitor(profile, baseline, this.thresholds());
  }

  async process(input: TickInput): Promise<{ health: HealthSection }> {
    for (const id of HEALTH_CHANNELS) this.snapshot[id] = input.channels[id]?.value ?? NaN;
    this.monitor.update(this.snapshot, input.timeS);
    this.followModelSwap();

    const output = this.models === null ? null : await this.models.predict(extractFeatures(this.monitor, input.timeS, this.features));
    const attribution =
      output?.mean && this.metadata ? { probabilities: output.mean, classSubsystems: this.metadata.classSubsystems } : null;
    const assessment = assessHealth(this.monitor, input.timeS, attribution);
    return {
      health: {
        subsystems: assessment.subsystems,
        reasons: assessment.reasons,
        backends: output?.backends ?? [],
        agreement: output?.agreement ?? null,
        timeToWarningS: assessment.timeToWarningS,
      },
    };
  }

  /** Takes the calibrated thresholds of a newly swapped model set. */
  private followModelSwap(): void {
    const latest = this.models?.metadata ?? null;
    if (latest === this.metadata) return;
    this.metadata = latest;
    this.monitor.setThresholds(this.thresholds());
  }

  /** Returns the model's calibrated thresholds, overridden by this engine's own. */
  private thresholds(): CusumThresholds {
    return { ...(this.metadata ? trainedThresholds(this.metadata) : {}), ...(this.baseline.thresholds ?? {}) };
  }
}
