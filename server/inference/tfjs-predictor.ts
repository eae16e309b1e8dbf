/**
 * @module The TensorFlow.js backend: a layers model on the WASM backend,
 * loaded from memory (topology JSON and weights bytes), never from a URL.
 */
import * as tf from '@tensorflow/tfjs';
import { BasePredictor, type LoadedModel } from './base-predictor.ts';
import {
  MODEL_FILE_NAMES,
  ModelValidationError,
  parseJsonFile,
  requireFile,
  type ModelFiles,
  type ModelMetadata,
} from './model-files.ts';
import { initTfjsWasm, type TfjsWasmPaths } from './tfjs-runtime.ts';

/** Runs the health model's TensorFlow.js layers model on the WASM backend. */
export class TfjsPredictor extends BasePredictor {
  protected readonly modelFileName = MODEL_FILE_NAMES.tfjsTopology;

  /**
   * Takes the model set and the paths of the three tfjs-backend-wasm files;
   * throws a `ModelValidationError` when the metadata is invalid. The
   * backend starts in `warmUp()`.
   */
  constructor(
    files: ModelFiles,
    private readonly wasmPaths: TfjsWasmPaths,
  ) {
    super('tfjs', files);
  }

  protected async load(files: ModelFiles, metadata: ModelMetadata): Promise<LoadedModel> {
    await initTfjsWasm(this.wasmPaths);
    const artifacts = readArtifacts(files);

    let model: tf.LayersModel;
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    } catch (error) {
      throw new ModelValidationError(this.modelFileName, `TensorFlow.js rejected it: ${(error as Error).message}`);
    }
    try {
      checkShape(model.inputs[0].shape, metadata.featureNames.length, 'input', 'features');
      checkShape(model.outputs[0].shape, metadata.classNames.length, 'output', 'classes');
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new TfjsModel(model, metadata.featureNames.length);
  }
}

class TfjsModel implements LoadedModel {
  constructor(
    private readonly model: tf.LayersModel,
    private readonly width: number,
  ) {}

  async runBatch(features: Float32Array, rows: number): Promise<Float32Array> {
    const output = tf.tidy(() => {
      const input = tf.tensor2d(features, [rows, this.width], 'float32');
      return this.model.predict(input) as tf.Tensor;
    });
    try {
      return output.dataSync() as Float32Array;
    } finally {
      output.dispose();
    }
  }

  async release(): Promise<void> {
    this.model.dispose();
  }
}

/** Reads `model.json` and `weights.bin` into the artifacts that `tf.io.fromMemory` takes. */
function readArtifacts(files: ModelFiles): tf.io.ModelArtifacts {
  const topologyName = MODEL_FILE_NAMES.tfjsTopology;
  const json = parseJsonFile(files, topologyName);
  const manifest = json.weightsManifest;
  if (json.modelTopology === undefined || !Array.isArray(manifest)) {
    throw new ModelValidationError(topologyName, 'must be a TensorFlow.js layers model with modelTopology and weightsManifest');
  }

  const weights = requireFile(files, MODEL_FILE_NAMES.tfjsWeights);
  const weightSpecs = (manifest as tf.io.WeightsManifestConfig).flatMap((group) => group.weights);
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a: number, b: number) => a * b, 1), 0);
  if (weights.length !== expectedBytes) {
    throw new ModelValidationError(
      MODEL_FILE_NAMES.tfjsWeights,
      `has ${weights.length} bytes, but model.json describes ${expectedBytes} bytes of float32 weights`,
    );
  }

  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) as ArrayBuffer;
  return { modelTopology: json.modelTopology as object, weightSpecs, weightData };
}

function checkShape(shape: readonly (number | null)[], width: number, role: string, what: string): void {
  if (shape.length !== 2 || shape[1] !== width) {
    throw new ModelValidationError(
      MODEL_FILE_NAMES.tfjsTopology,
      `${role} has shape [${shape.join(', ')}], expected [null, ${width}] (${width} ${what} in metadata.json)`,
    );
  }
}
