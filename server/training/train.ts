/**
 * @module The whole training run behind `2jz-monitor train`: build the data
 * set, fit the default baseline, calibrate thresholds on healthy driving,
 * train both classifiers, evaluate on held-out cases and assemble the
 * model set. Everything derives from one seed, so a run is reproducible.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import { deriveSeed } from '../engine/prng.ts';
import { FAULT_KINDS, faultDefinition } from '../engine/index.ts';
import type { EngineBaseline } from '../inference/health/baseline.ts';
import { FEATURE_NAMES } from '../inference/health/features.ts';
import { ModelPair, type RuntimeFiles } from '../inference/model-pair.ts';
import { initTfjsWasm } from '../inference/tfjs-runtime.ts';
import type { Subsystem } from '../protocol.ts';
import { fitBaseline } from './baseline-fit.ts';
import { calibrateThresholds, type HealthyDrive } from './calibrate.ts';
import { realFaultCases, simulatedCases, splitRealLog, type DatasetConfig, type FaultCase } from './dataset.ts';
import { evaluateCase, type CaseResult, type LatencyLog } from './evaluation.ts';
import { addUnknownExamples, collectExamples, type Examples } from './examples.ts';
import type { TickFrames } from './frames.ts';
import { assembleModelSet } from './model-set.ts';
import { ProgressBar } from './progress.ts';
import { readRealLogs } from './real-logs.ts';
import { summariseResults, type EvaluationSummary } from './summary.ts';
import { trainBothModels, type ModelSettings } from './train-models.ts';

/** Version written into the metadata of models this trainer produces. */
export const MODEL_FORMAT_VERSION = 1;

/** A full training configuration. */
export interface TrainConfig {
  readonly dataset: DatasetConfig;
  readonly models: ModelSettings;
  /** Real healthy log files; empty to train on simulation only. */
  readonly realLogs: readonly string[];
  readonly isQuiet?: boolean;
}

/** Result of a training run. */
export interface TrainResult {
  readonly files: Map<string, Uint8Array>;
  readonly evaluation: EvaluationSummary;
  readonly results: CaseResult[];
  readonly latencies: LatencyLog;
}

/** Class names in model output order. */
export const CLASS_NAMES: readonly string[] = ['healthy', ...FAULT_KINDS, 'unknown'];

/** Subsystem per class: the fault definitions' subsystems, null for healthy and unknown. */
export const CLASS_SUBSYSTEMS: Record<string, Subsystem | null> = Object.fromEntries(
  CLASS_NAMES.map((name) => [name, (FAULT_KINDS as readonly string[]).includes(name) ? faultDefinition(name as never).subsystem : null]),
);

/** Runs the whole training; `runtime` loads the trained models for the held-out evaluation. */
export async function trainHealthModels(config: TrainConfig, profile: EngineProfile, runtime: RuntimeFiles): Promise<TrainResult> {
  const { dataset } = config;
  const quiet = config.isQuiet ?? false;

  const data = buildDataSet(config, profile, quiet);
  const { trainCases, testCases, defaultBaseline, baselineOf } = data;

  // Real logs calibrate their own engine's thresholds (in their baselines), so the
  // model's thresholds come from the simulated engine alone.
  const healthyDrives: HealthyDrive[] = trainCases
    .filter((c) => c.origin === 'sim')
    .map((c) => ({ frames: c.frames, baseline: defaultBaseline, healthyUntil: healthyUntil(c) }));
  const calibrationBar = new ProgressBar('calibrating thresholds', healthyDrives.length, quiet);
  const calibration = calibrateThresholds(healthyDrives, profile, () => calibrationBar.tick());
  calibrationBar.finish();
  const thresholdsOf = (item: FaultCase) => ({ ...calibration.thresholds, ...(baselineOf(item).thresholds ?? {}) });

  const examples: Examples = { features: [], labels: [] };
  const exampleBar = new ProgressBar('collecting examples', trainCases.length, quiet);
  for (const item of trainCases) {
    collectExamples(item, profile, baselineOf(item), thresholdsOf(item), CLASS_NAMES, examples);
    exampleBar.tick();
  }
  const unknownCount = Math.max(50, Math.round(0.05 * examples.labels.length));
  addUnknownExamples(examples, CLASS_NAMES.indexOf('unknown'), 0, unknownCount, deriveSeed(dataset.seed, 7));
  exampleBar.finish(`${examples.labels.length} rows`);

  if (runtime.tfjsWasmPaths === null) throw new Error('Training needs the TensorFlow.js WASM backend files');
  await initTfjsWasm(runtime.tfjsWasmPaths);
  const fitBar = new ProgressBar('training both models', 2 * config.models.epochs, quiet);
  const models = await trainBothModels(examples, CLASS_NAMES.length, config.models, () => fitBar.tick());
  fitBar.finish();

  const training = {
    formatVersion: MODEL_FORMAT_VERSION,
    seed: dataset.seed,
    profile: profile.id,
    dataset: describeDataset(trainCases, testCases, examples, data.skippedLogs),
    config: { dataset, models: config.models },
    thresholds: calibration.thresholds,
    maxHealthySums: calibration.maxHealthySums,
    baseline: defaultBaseline,
  };
  const version = `health-${dataset.seed}-${FEATURE_NAMES.length}x${CLASS_NAMES.length}`;
  const parts = {
    version,
    featureNames: FEATURE_NAMES,
    classNames: CLASS_NAMES,
    classSubsystems: CLASS_SUBSYSTEMS,
    onnxLayers: models.onnxLayers,
    tfjsModel: models.tfjsModel,
    referenceInputs: referenceRows(examples),
  };

  const draft = await assembleModelSet({ ...parts, training });
  const { results, latencies } = await evaluateHeldOut(draft, testCases, profile, baselineOf, (item) => thresholdsOf(item), runtime, quiet);
  const evaluation = summariseResults(results);
  const files = await assembleModelSet({ ...parts, training: { ...training, evaluation } });
  models.tfjsModel.dispose();
  return { files, evaluation, results, latencies };
}

/** The cases of a run with their splits and the baselines to judge them by. */
export interface DataSet {
  readonly trainCases: FaultCase[];
  readonly testCases: FaultCase[];
  /** Baseline fitted on the simulated training drives. */
  readonly defaultBaseline: EngineBaseline;
  /** Returns the baseline of a case's engine: its real log's own, or the default. */
  readonly baselineOf: (item: FaultCase) => EngineBaseline;
  readonly skippedLogs: readonly { file: string; reason: string }[];
}

/**
 * Builds the simulated and real cases of a configuration. Real logs are cut
 * in halves: the first fits that engine's baseline and carries training
 * faults, the second is held out (healthy, and with held-out faults).
 */
export function buildDataSet(config: TrainConfig, profile: EngineProfile, quiet: boolean): DataSet {
  const { dataset } = config;
  const simCount = dataset.scenarios.length * dataset.healthyPerScenario + FAULT_KINDS.length * dataset.simCasesPerKind;
  const simBar = new ProgressBar('simulating drives', simCount, quiet);
  const simCases = simulatedCases(dataset, profile, () => simBar.tick());
  simBar.finish();

  const real = readRealLogs(config.realLogs);
  const logs = real.drives.map(splitRealLog);
  const logBaselines = new Map(logs.map((log) => [log.name, fitEngineBaseline([log.fitPart], profile, `first half of ${log.name}`)]));
  const logOf = (part: TickFrames) => logs.find((l) => l.fitPart === part || l.heldOutPart === part)!.name;
  const realTrain = realFaultCases(logs.map((l) => l.fitPart), 'train', dataset, profile, logOf);
  const realTest = realFaultCases(logs.map((l) => l.heldOutPart), 'test', { ...dataset, seed: deriveSeed(dataset.seed, 4) }, profile, logOf);
  const realHealthy: FaultCase[] = logs.map((l) => ({ id: l.heldOutPart.name, frames: l.heldOutPart, fault: null, split: 'test', origin: 'real', log: l.name }));

  const simTrain = simCases.filter((c) => c.split === 'train');
  const defaultBaseline = fitBaseline(simTrain.map((c) => c.frames), profile, 'simulated healthy driving of the engine model');
  return {
    trainCases: [...simTrain, ...realTrain],
    testCases: [...simCases.filter((c) => c.split === 'test'), ...realTest, ...realHealthy],
    defaultBaseline,
    baselineOf: (item) => (item.log ? logBaselines.get(item.log)! : defaultBaseline),
    skippedLogs: real.skipped,
  };
}

/**
 * Fits an engine's baseline and calibrates its own thresholds on the same
 * healthy drives: what `train --baseline` does for one car.
 */
export function fitEngineBaseline(drives: readonly TickFrames[], profile: EngineProfile, source: string): EngineBaseline {
  const baseline = fitBaseline(drives, profile, source);
  const healthy = drives.map((frames) => ({ frames, baseline, healthyUntil: frames.timeS.length }));
  return { ...baseline, thresholds: calibrateThresholds(healthy, profile).thresholds };
}

function healthyUntil(item: FaultCase): number {
  if (item.fault === null) return item.frames.timeS.length;
  const index = item.frames.timeS.findIndex((t) => t >= item.fault!.onsetS);
  return index < 0 ? item.frames.timeS.length : index;
}

/** Evaluates a model set on held-out cases with both backends; returns per-case results and latencies. */
export async function evaluateHeldOut(
  files: Map<string, Uint8Array>,
  cases: readonly FaultCase[],
  profile: EngineProfile,
  baselineOf: (item: FaultCase) => EngineBaseline,
  thresholdsOf: (item: FaultCase) => Record<string, number>,
  runtime: RuntimeFiles,
  quiet: boolean,
): Promise<{ results: CaseResult[]; latencies: LatencyLog }> {
  const { pair, errors } = await ModelPair.load(files, runtime);
  if (errors.length > 0) throw new Error(`The trained models failed to load: ${errors.join('; ')}`);
  const bar = new ProgressBar('evaluating held-out cases', cases.length, quiet);
  const latencies: LatencyLog = {};
  const results: CaseResult[] = [];
  try {
    for (const item of cases) {
      const classify = async (features: Float32Array) => {
        const start = performance.now();
        const output = await pair.predict(features);
        (latencies.both ??= []).push(performance.now() - start);
        return output;
      };
      results.push(await evaluateCase(item, profile, baselineOf(item), thresholdsOf(item), classify, CLASS_SUBSYSTEMS, latencies));
      bar.tick();
    }
  } finally {
    await pair.dispose();
  }
  bar.finish();
  return { results, latencies };
}

/** Picks the first example of each class as a reference input. */
function referenceRows(examples: Examples): number[][] {
  const rows: number[][] = [];
  for (let label = 0; label < CLASS_NAMES.length; label++) {
    const index = examples.labels.indexOf(label);
    if (index >= 0) rows.push(examples.features[index]);
  }
  return rows;
}

function describeDataset(
  train: readonly FaultCase[],
  test: readonly FaultCase[],
  examples: Examples,
  skipped: readonly { file: string; reason: string }[],
): Record<string, unknown> {
  const count = (cases: readonly FaultCase[], origin: string, isFault: boolean) =>
    cases.filter((c) => c.origin === origin && (c.fault !== null) === isFault).length;
  const hours = (cases: readonly FaultCase[]) => Number((cases.reduce((s, c) => s + (c.frames.timeS.at(-1) ?? 0), 0) / 3600).toFixed(3));
  return {
    train: { simFaultCases: count(train, 'sim', true), simHealthyDrives: count(train, 'sim', false), realFaultCases: count(train, 'real', true), hours: hours(train) },
    heldOut: { simFaultCases: count(test, 'sim', true), simHealthyDrives: count(test, 'sim', false), realFaultCases: count(test, 'real', true), realHealthyParts: count(test, 'real', false), hours: hours(test) },
    exampleRows: examples.labels.length,
    rowsPerClass: Object.fromEntries(CLASS_NAMES.map((name, i) => [name, examples.labels.filter((l) => l === i).length])),
    skippedLogs: skipped,
  };
}
