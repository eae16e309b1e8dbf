/**
 * @module The two backends that run the health model side by side. Both run
 * on every feature vector in parallel, and either may fail or be absent
 * without stopping the other. A new model set replaces both only after both
 * have validated it.
 */
import type { BackendOutput } from '../protocol.ts';
import { parseMetadata, type ModelFiles, type ModelMetadata } from './model-files.ts';
import { OnnxPredictor } from './onnx-predictor.ts';
import type { Predictor } from './predictor.ts';
import { TfjsPredictor } from './tfjs-predictor.ts';
import type { TfjsWasmPaths } from './tfjs-runtime.ts';

/** Runtime files the backends load. */
export interface RuntimeFiles {
  /** Bytes of `ort-wasm-simd-threaded.wasm`, or null to run without the ONNX backend. */
  readonly onnxWasm: Uint8Array | null;
  /** Paths of the tfjs-backend-wasm files, or null to run without the tfjs backend. */
  readonly tfjsWasmPaths: TfjsWasmPaths | null;
}

/** Outputs of both backends for one feature vector. */
export interface PairOutput {
  readonly backends: BackendOutput[];
  /** Mean class probabilities of the backends that returned an output; null when none did. */
  readonly mean: Record<string, number> | null;
  /** 1 when both returned the same most likely class, 0 when not, null with fewer than two outputs. */
  readonly agreement: number | null;
}

/** Validated models ready to replace the running ones. */
export interface PreparedModels {
  readonly metadata: ModelMetadata;
  readonly predictors: Predictor[];
}

/** Both predictors over one model set. */
export class ModelPair {
  private predictors: Predictor[] = [];
  private current: ModelMetadata;

  private constructor(
    files: ModelFiles,
    private readonly runtime: RuntimeFiles,
  ) {
    this.current = parseMetadata(files);
  }

  /** Loads and warms both backends on `files`; a backend that fails to start is left out and reported in `errors`. */
  static async load(files: ModelFiles, runtime: RuntimeFiles): Promise<{ pair: ModelPair; errors: string[] }> {
    const pair = new ModelPair(files, runtime);
    const errors = await pair.start(files);
    return { pair, errors };
  }

  /** Metadata of the running model set. */
  get metadata(): ModelMetadata {
    return this.current;
  }

  /** The predictors that are running. */
  get running(): readonly Predictor[] {
    return this.predictors;
  }

  /** Runs both backends on one feature vector in parallel. */
  async predict(values: Float32Array): Promise<PairOutput> {
    const predictors = this.predictors;
    const settled = await Promise.allSettled(predictors.map((p) => p.run({ values })));
    const backends: BackendOutput[] = settled.map((result, i) => {
      const info = predictors[i].info;
      if (result.status === 'fulfilled') {
        return { backend: info.backend, modelVersion: info.version, ...result.value };
      }
      return {
        backend: info.backend,
        modelVersion: info.version,
        classProbabilities: {},
        latencyMs: 0,
        error: String((result.reason as Error)?.message ?? result.reason),
      };
    });
    return { backends, ...combine(backends) };
  }

  /**
   * Loads and validates `files` on every backend without touching the
   * running models; throws (after releasing what it loaded) when any backend
   * rejects them.
   */
  async prepare(files: ModelFiles): Promise<PreparedModels> {
    const metadata = parseMetadata(files);
    const predictors = this.createPredictors(files);
    try {
      await Promise.all(predictors.map((p) => p.warmUp()));
    } catch (error) {
      await Promise.allSettled(predictors.map((p) => p.dispose()));
      throw error;
    }
    return { metadata, predictors };
  }

  /** Switches to prepared models; runs already started finish on the old ones, which are then released. */
  async commit(prepared: PreparedModels): Promise<void> {
    // One assignment switches the next tick to the new pair.
    const previous = this.predictors;
    this.predictors = prepared.predictors;
    this.current = prepared.metadata;
    await Promise.allSettled(previous.map((p) => p.dispose()));
  }

  /** Releases prepared models that will not be committed. */
  async discard(prepared: PreparedModels): Promise<void> {
    await Promise.allSettled(prepared.predictors.map((p) => p.dispose()));
  }

  /** Validates `files` on both backends, then swaps both; the old set stays when validation fails. */
  async swap(files: ModelFiles): Promise<ModelMetadata> {
    const prepared = await this.prepare(files);
    await this.commit(prepared);
    return prepared.metadata;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.predictors.map((p) => p.dispose()));
    this.predictors = [];
  }

  private async start(files: ModelFiles): Promise<string[]> {
    const errors: string[] = [];
    const candidates = this.createPredictors(files);
    const results = await Promise.allSettled(candidates.map((p) => p.warmUp()));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') this.predictors.push(candidates[i]);
      else errors.push(`${candidates[i].info.backend}: ${(result.reason as Error).message}`);
    });
    return errors;
  }

  private createPredictors(files: ModelFiles): Predictor[] {
    const predictors: Predictor[] = [];
    if (this.runtime.onnxWasm !== null) predictors.push(new OnnxPredictor(files, this.runtime.onnxWasm));
    if (this.runtime.tfjsWasmPaths !== null) predictors.push(new TfjsPredictor(files, this.runtime.tfjsWasmPaths));
    return predictors;
  }
}

function combine(backends: readonly BackendOutput[]): Omit<PairOutput, 'backends'> {
  const answered = backends.filter((b) => b.error === undefined);
  if (answered.length === 0) return { mean: null, agreement: null };

  const mean: Record<string, number> = {};
  for (const output of answered) {
    for (const [name, p] of Object.entries(output.classProbabilities)) mean[name] = (mean[name] ?? 0) + p / answered.length;
  }
  if (answered.length < 2) return { mean, agreement: null };
  const tops = answered.map((b) => topClass(b.classProbabilities));
  return { mean, agreement: tops.every((t) => t === tops[0]) ? 1 : 0 };
}

/** Returns the most likely class of a probability record. */
export function topClass(probabilities: Readonly<Record<string, number>>): string {
  let best = '';
  let bestP = -1;
  for (const [name, p] of Object.entries(probabilities)) {
    if (p > bestP) {
      best = name;
      bestP = p;
    }
  }
  return best;
}
