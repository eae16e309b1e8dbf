/**
 * @module The inference part of a running monitor. It owns the model pair
 * (a stored set in the data directory, else the embedded one) and this
 * engine's baseline. It builds the pipeline stage, runs one-off predictions
 * for the REST API, applies validated atomic model updates and reports the
 * summary for `/health`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineProfile } from '../domain/profile-types.ts';
import type { TickStage } from '../pipeline/stage.ts';
import type { BackendOutput, HealthReason, Subsystem } from '../protocol.ts';
import { assessHealth } from './health/assess.ts';
import { parseBaseline, type EngineBaseline } from './health/baseline.ts';
import { extractFeatures, FEATURE_NAMES } from './health/features.ts';
import { applyLimitFloors } from './health/limit-floors.ts';
import { HealthMonitor } from './health/monitor.ts';
import { emptySnapshot, type ChannelSnapshot } from './health/snapshot.ts';
import type { ModelFiles } from './model-files.ts';
import { ModelPair, type RuntimeFiles } from './model-pair.ts';
import { loadStoredModelSet, removeStoreLeftovers, storeModelSet } from './model-store.ts';
import { createInferenceStage } from './stage.ts';
import { trainedBaseline, trainedThresholds } from './training-record.ts';

/** Folder under the data directory that contains uploaded model sets. */
export const MODELS_DIR = 'models';
/** File under the data directory with this engine's baseline from `train --baseline`. */
export const BASELINE_FILE = 'baseline.json';

/** Start-up settings of the service. */
export interface InferenceServiceOptions {
  readonly profile: EngineProfile;
  readonly dataDir: string;
  readonly runtime: RuntimeFiles;
  /** The model set built into the executable, used when the data directory has none. */
  readonly embeddedModels: ModelFiles;
}

/** One timed sample of a prediction request. */
export interface TimedSnapshot {
  readonly timeS: number;
  readonly snapshot: ChannelSnapshot;
}

/** Result of `POST /predict`. */
export interface PredictResult {
  readonly modelVersion: string;
  readonly backends: BackendOutput[];
  readonly agreement: number | null;
  readonly subsystems: Record<Subsystem, number>;
  readonly reasons: HealthReason[];
  readonly timeToWarningS: Record<string, number>;
}

/** The inference part of a running monitor. */
export class InferenceService {
  private constructor(
    readonly profile: EngineProfile,
    private readonly dataDir: string,
    readonly models: ModelPair,
    private modelSource: 'data directory' | 'embedded',
    private readonly engineBaseline: EngineBaseline | null,
    readonly startErrors: readonly string[],
  ) {}

  /**
   * Loads and warms both backends (the slow first compile happens here, not
   * on a request). A stored model set that fails validation is reported in
   * `startErrors` and the embedded one runs instead.
   */
  static async start(options: InferenceServiceOptions): Promise<InferenceService> {
    const root = join(options.dataDir, MODELS_DIR);
    removeStoreLeftovers(root);
    const errors: string[] = [];

    const stored = existsSync(root) ? loadStoredModelSet(root) : null;
    if (stored !== null) {
      const loaded = await ModelPair.load(stored.files, options.runtime).catch((error: Error) => ({ error }));
      if ('pair' in loaded && loaded.errors.length === 0) {
        return new InferenceService(options.profile, options.dataDir, loaded.pair, 'data directory', readBaseline(options.dataDir), []);
      }
      if ('pair' in loaded) await loaded.pair.dispose();
      errors.push(`stored model set ${stored.version} rejected: ${'error' in loaded ? loaded.error.message : loaded.errors.join('; ')}`);
    }

    const { pair, errors: backendErrors } = await ModelPair.load(options.embeddedModels, options.runtime);
    return new InferenceService(options.profile, options.dataDir, pair, 'embedded', readBaseline(options.dataDir), [...errors, ...backendErrors]);
  }

  /** Returns this engine's baseline: its own fitted one, else the model's default. */
  baseline(): EngineBaseline {
    return this.engineBaseline ?? trainedBaseline(this.models.metadata)!;
  }

  /** Builds the pipeline stage that runs both backends every tick. */
  createStage(): TickStage {
    return createInferenceStage({ profile: this.profile, models: this.models, baseline: this.engineBaseline });
  }

  /** Runs a fresh monitor over a window of samples and both backends on its last state. */
  async predict(window: readonly TimedSnapshot[]): Promise<PredictResult> {
    const baseline = this.baseline();
    const thresholds = { ...trainedThresholds(this.models.metadata), ...(baseline.thresholds ?? {}) };
    const monitor = new HealthMonitor(this.profile, baseline, thresholds);
    for (const sample of window) monitor.update(sample.snapshot, sample.timeS);
    const lastTimeS = window[window.length - 1].timeS;

    const output = await this.models.predict(extractFeatures(monitor, lastTimeS, new Float32Array(FEATURE_NAMES.length)));
    const attribution = output.mean ? { probabilities: output.mean, classSubsystems: this.models.metadata.classSubsystems } : null;
    const assessment = assessHealth(monitor, lastTimeS, attribution);
    applyLimitFloors(this.profile, window[window.length - 1].snapshot, assessment.subsystems, assessment.reasons);
    return {
      modelVersion: this.models.metadata.version,
      backends: output.backends,
      agreement: output.agreement,
      ...assessment,
    };
  }

  /**
   * Validates a new model set on both backends, stores it atomically in the
   * data directory, then switches to it. Throws, with the old set still
   * running and stored, when validation or storing fails.
   */
  async updateModels(files: ModelFiles): Promise<{ version: string; storedAs: string }> {
    const prepared = await this.models.prepare(files);
    let storedAs: string;
    try {
      storedAs = storeModelSet(join(this.dataDir, MODELS_DIR), files, prepared.metadata.version);
    } catch (error) {
      await this.models.discard(prepared);
      throw error;
    }
    await this.models.commit(prepared);
    this.modelSource = 'data directory';
    this.storedAs = storedAs;
    return { version: prepared.metadata.version, storedAs };
  }

  /** Folder name of the uploaded set in use, or null while the start-up set runs. */
  private storedAs: string | null = null;

  /** Returns model versions, per-backend latency and the stored evaluation, for `/health`. */
  summary(): Record<string, unknown> {
    const metadata = this.models.metadata;
    return {
      modelVersion: metadata.version,
      modelSource: this.modelSource,
      // Two sets trained with other settings can share a version name; the
      // stored folder name tells an uploaded set apart.
      storedAs: this.storedAs,
      baseline: this.baseline().source,
      backends: this.models.running.map((p) => ({ backend: p.info.backend, version: p.info.version, latencyMs: p.latency() })),
      evaluation: metadata.training.evaluation ?? null,
      startErrors: this.startErrors,
    };
  }

  async dispose(): Promise<void> {
    await this.models.dispose();
  }
}

function readBaseline(dataDir: string): EngineBaseline | null {
  const path = join(dataDir, BASELINE_FILE);
  if (!existsSync(path)) return null;
  return parseBaseline(JSON.parse(readFileSync(path, 'utf8')), path);
}
