/**
 * @module The interface that hides a model runtime (ONNX Runtime Web or
 * TensorFlow.js) from the pipeline, so the pipeline does not know which
 * library runs a model.
 */

/** Input of one prediction: a fixed-length feature vector. */
export interface FeatureVector {
  /** Feature values in the order of the model's `featureNames`. */
  readonly values: Float32Array;
}

/** Raw output of one backend for one feature vector. */
export interface Prediction {
  /** Probability per class name, summing to 1. */
  readonly classProbabilities: Readonly<Record<string, number>>;
  readonly latencyMs: number;
}

/** Static description of a loaded model. */
export interface ModelInfo {
  readonly backend: 'onnx' | 'tfjs';
  readonly version: string;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
}

/** One model runtime holding one model at a time. */
export interface Predictor {
  readonly info: ModelInfo;

  /** Compiles the runtime and runs one prediction so the first real one is warm. */
  warmUp(): Promise<void>;

  run(features: FeatureVector): Promise<Prediction>;

  /**
   * Replaces the model with one built from `files`, after validating it;
   * the old model keeps running until the new one is ready, and stays when
   * validation fails (the error says why).
   */
  swap(files: ReadonlyMap<string, Uint8Array>): Promise<ModelInfo>;

  /** Latency percentiles in milliseconds over recent runs. */
  latency(): { readonly p50: number; readonly p99: number; readonly count: number };

  dispose(): Promise<void>;
}
