/**
 * @module What both model backends share: metadata, validation against the
 * reference cases, latency tracking and the swap that replaces a model only
 * after the new one has passed, while runs on the old one finish.
 */
import { LatencyWindow } from '../pipeline/latency-window.ts';
import type { FeatureVector, ModelInfo, Prediction, Predictor } from './predictor.ts';
import {
  checkReferenceOutputs,
  ModelValidationError,
  parseMetadata,
  type ModelFiles,
  type ModelMetadata,
} from './model-files.ts';

/** A model loaded into one runtime. */
export interface LoadedModel {
  /** Runs `rows` feature vectors packed row by row; returns the class probabilities packed the same way. */
  runBatch(features: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Runs kept for the latency percentiles. */
const LATENCY_WINDOW_RUNS = 2048;

/** A `Predictor` built on a runtime that loads a model from its files. */
export abstract class BasePredictor implements Predictor {
  private metadata: ModelMetadata;
  private model: LoadedModel | null = null;
  private readonly latencyWindow = new LatencyWindow(LATENCY_WINDOW_RUNS);
  private readonly pending = new Set<Promise<unknown>>();

  /** Throws a `ModelValidationError` when the metadata is invalid. */
  constructor(
    readonly backend: 'onnx' | 'tfjs',
    private files: ModelFiles,
  ) {
    this.metadata = parseMetadata(files);
  }

  get info(): ModelInfo {
    return {
      backend: this.backend,
      version: this.metadata.version,
      featureNames: this.metadata.featureNames,
      classNames: this.metadata.classNames,
    };
  }

  /** Returns the metadata of the running model. */
  get modelMetadata(): ModelMetadata {
    return this.metadata;
  }

  /** The name of the file that holds this backend's graph, for error messages. */
  protected abstract readonly modelFileName: string;

  /** Loads a model into the runtime; throws a `ModelValidationError` when it cannot be used. */
  protected abstract load(files: ModelFiles, metadata: ModelMetadata): Promise<LoadedModel>;

  async warmUp(): Promise<void> {
    if (this.model !== null) return;
    this.model = await this.loadAndCheck(this.files, this.metadata);
  }

  async run(features: FeatureVector): Promise<Prediction> {
    const model = this.model;
    if (model === null) throw new Error(`${this.backend} predictor used before warmUp()`);
    const width = this.metadata.featureNames.length;
    if (features.values.length !== width) {
      throw new RangeError(`${this.backend} model expects ${width} features, got ${features.values.length}`);
    }

    const start = performance.now();
    const work = model.runBatch(features.values, 1);
    this.pending.add(work);
    try {
      const output = await work;
      const latencyMs = performance.now() - start;
      this.latencyWindow.record(latencyMs);
      return { classProbabilities: this.toRecord(output), latencyMs };
    } finally {
      this.pending.delete(work);
    }
  }

  async swap(files: ModelFiles): Promise<ModelInfo> {
    const metadata = parseMetadata(files);
    const next = await this.loadAndCheck(files, metadata);

    // One assignment switches every later run; runs already started finish on the old model.
    const previous = this.model;
    this.model = next;
    this.metadata = metadata;
    this.files = files;
    await Promise.allSettled([...this.pending]);
    await previous?.release();
    return this.info;
  }

  latency(): { readonly p50: number; readonly p99: number; readonly count: number } {
    const { p50, p99, count } = this.latencyWindow.percentiles();
    return { p50, p99, count };
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.model?.release();
    this.model = null;
  }

  private async loadAndCheck(files: ModelFiles, metadata: ModelMetadata): Promise<LoadedModel> {
    const model = await this.load(files, metadata);
    try {
      const outputs = await this.runReference(model, metadata);
      checkReferenceOutputs(metadata, this.backend, this.modelFileName, outputs);
      return model;
    } catch (error) {
      await model.release();
      throw error;
    }
  }

  private async runReference(model: LoadedModel, metadata: ModelMetadata): Promise<Float32Array[]> {
    const { inputs } = metadata.reference;
    const width = metadata.featureNames.length;
    const classCount = metadata.classNames.length;
    const packed = new Float32Array(inputs.flat());

    let output: Float32Array;
    try {
      output = await model.runBatch(packed, inputs.length);
    } catch (error) {
      throw new ModelValidationError(
        this.modelFileName,
        `failed on the reference inputs (${inputs.length} rows of ${width} features): ${(error as Error).message}`,
      );
    }
    if (output.length !== inputs.length * classCount) {
      throw new ModelValidationError(
        this.modelFileName,
        `returned ${output.length} values for ${inputs.length} rows, expected ${classCount} classes per row`,
      );
    }
    return inputs.map((_, row) => output.subarray(row * classCount, (row + 1) * classCount));
  }

  private toRecord(output: Float32Array): Record<string, number> {
    const record: Record<string, number> = {};
    this.metadata.classNames.forEach((name, i) => {
      record[name] = output[i];
    });
    return record;
  }
}
