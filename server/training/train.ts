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

  const simCount = dataset.scenarios.length * dataset.healthyPerScenario + FAULT_KINDS.length * dataset.simCasesPerKind;
  const simBar = new ProgressBar('simulating drives', simCount, quiet);
  const simCases = simulatedCases(dataset, profile, () => simBar.tick());
  simBar.finish();

  const real = readRealLogs(config.realLogs);
  const logs = real.drives.map(splitRealLog);
  const logBaselines = new Map(logs.map((log) => [log.name, fitBaseline([log.fitPart], profile, `first half of ${log.name}`)]));
  const logOf = (part: TickFrames) => logs.find((l) => l.fitPart === part || l.heldOutPart === part)!.name;
  const realTrain = realFaultCases(logs.map((l) => l.fitPart), 'train', dataset, profile, logOf);
  const realTest = realFaultCases(logs.map((l) => l.heldOutPart), 'test', { ...dataset, seed: deriveSeed(dataset.seed, 4) }, profile, logOf);
  const realHealthy: FaultCase[] = logs.map((l) => ({ id: l.heldOutPart.name, frames: l.heldOutPart, fault: null, split: 'test', origin: 'real', log: l.name }));

  const trainCases = [...simCases.filter((c) => c.split === 'train'), ...realTrain];
  const testCases = [...simCases.filter((c) => c.split === 'test'), ...realTest, ...realHealthy];
  const defaultBaseline = fitBaseline(simCases.filter((c) => c.split === 'train').map((c) => c.frames), profile, 'simulated healthy driving of the engine model');
  const baselineOf = (item: FaultCase): EngineBaseline => (item.log ? logBaselines.get(item.log)! : defaultBaseline);

  const healthyDrives: HealthyDrive[] = [
    ...trainCases.map((c) => ({ frames: c.frames, baseline: baselineOf(c), healthyUntil: healthyUntil(c) })),
    ...logs.map((l) => ({ frames: l.fitPart, baseline: logBaselines.get(l.name)!, healthyUntil: l.fitPart.timeS.length })),
  ];
  const calibrationBar = new ProgressBar('calibrating thresholds', healthyDrives.length, quiet);
  const calibration = calibrateThresholds(healthyDrives, profile, () => calibrationBar.tick());
  calibrationBar.finish();

  const examples: Examples = { features: [], labels: [] };
  const exampleBar = new ProgressBar('collecting examples', trainCases.length, quiet);
  for (const item of trainCases) {
    collectExamples(item, profile, baselineOf(item), calibration.thresholds, CLASS_NAMES, examples);
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
    dataset: describeDataset(trainCases, testCases, examples, real.skipped),
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
  const { results, latencies } = await evaluateHeldOut(draft, testCases, profile, baselineOf, calibration.thresholds, runtime, quiet);
  const evaluation = summariseResults(results);
  const files = await assembleModelSet({ ...parts, training: { ...training, evaluation } });
  models.tfjsModel.dispose();
  return { files, evaluation, results, latencies };
}

function healthyUntil(item: FaultCase): number {
  if (item.fault === null) return item.frames.timeS.length;
  const index = item.frames.timeS.findIndex((t) => t >= item.fault!.onsetS);
  return index < 0 ? item.frames.timeS.length : index;
}

async function evaluateHeldOut(
  files: Map<string, Uint8Array>,
  cases: readonly FaultCase[],
  profile: EngineProfile,
  baselineOf: (item: FaultCase) => EngineBaseline,
  thresholds: Record<string, number>,
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
      results.push(await evaluateCase(item, profile, baselineOf(item), thresholds, (f) => pair.predict(f), CLASS_SUBSYSTEMS, latencies));
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
