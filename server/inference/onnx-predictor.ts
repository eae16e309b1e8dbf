/**
 * @module The ONNX Runtime Web backend. It uses the WASM build of
 * onnxruntime-web (the Node build finds no backend inside a compiled Bun
 * binary), single-threaded and without a proxy worker, with the runtime's
 * `.wasm` passed in as bytes so it can be embedded.
 */
import * as ort from 'onnxruntime-web/wasm';
import { BasePredictor, type LoadedModel } from './base-predictor.ts';
import {
  MODEL_FILE_NAMES,
  ModelValidationError,
  requireFile,
  type ModelFiles,
  type ModelMetadata,
} from './model-files.ts';
import { ModelProto } from './onnx-schema.ts';

/** The runtime file of onnxruntime-web that this backend needs, relative to `node_modules`. */
export const ONNX_RUNTIME_FILE = 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';

let configuredBinary: Uint8Array | null = null;

/** Sets the ONNX Runtime WASM binary once per process; later calls keep the first. */
function configureRuntime(wasmBinary: Uint8Array): void {
  if (configuredBinary !== null) return;
  ort.env.wasm.wasmBinary = wasmBinary;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  configuredBinary = wasmBinary;
}

/** Runs the health model's ONNX graph with ONNX Runtime Web. */
export class OnnxPredictor extends BasePredictor {
  protected readonly modelFileName = MODEL_FILE_NAMES.onnx;

  /**
   * Takes the model set and the bytes of `ort-wasm-simd-threaded.wasm`;
   * throws a `ModelValidationError` when the metadata is invalid. The runtime
   * compiles in `warmUp()`.
   */
  constructor(files: ModelFiles, wasmBinary: Uint8Array) {
    super('onnx', files);
    configureRuntime(wasmBinary);
  }

  protected async load(files: ModelFiles, metadata: ModelMetadata): Promise<LoadedModel> {
    const bytes = requireFile(files, this.modelFileName);
    checkGraphShapes(bytes, metadata);

    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new ModelValidationError(this.modelFileName, `ONNX Runtime rejected it: ${(error as Error).message}`);
    }
    return new OnnxModel(session, metadata.featureNames.length);
  }
}

class OnnxModel implements LoadedModel {
  private readonly inputName: string;
  private readonly outputName: string;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly width: number,
  ) {
    this.inputName = session.inputNames[0];
    this.outputName = session.outputNames[0];
  }

  async runBatch(features: Float32Array, rows: number): Promise<Float32Array> {
    const input = new ort.Tensor('float32', features, [rows, this.width]);
    const result = await this.session.run({ [this.inputName]: input });
    const output = result[this.outputName];
    const data = output.data as Float32Array;
    const copy = new Float32Array(data);
    output.dispose();
    return copy;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

interface ShapeDimension {
  dim_value?: number | { toNumber(): number };
  dim_param?: string;
}

/**
 * Checks the graph's declared input and output against the metadata, so a
 * wrong model fails with a message about shapes rather than a runtime error.
 */
function checkGraphShapes(bytes: Uint8Array, metadata: ModelMetadata): void {
  const name = MODEL_FILE_NAMES.onnx;
  let model: Record<string, any>;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as Record<string, any>;
  } catch (error) {
    throw new ModelValidationError(name, `is not an ONNX model (${(error as Error).message})`);
  }

  const graph = model.graph;
  if (!graph?.input?.length || !graph?.output?.length) {
    throw new ModelValidationError(name, 'has no graph inputs or outputs');
  }
  checkShape(graph.input[0], 'input', metadata.featureNames.length, 'features');
  checkShape(graph.output[0], 'output', metadata.classNames.length, 'classes');
}

function checkShape(value: Record<string, any>, role: string, width: number, what: string): void {
  const dims: ShapeDimension[] = value?.type?.tensor_type?.shape?.dim ?? [];
  const last = dims.at(-1)?.dim_value;
  if (dims.length !== 2 || Number(last) !== width) {
    const shown = dims.map((d) => d.dim_param ?? String(d.dim_value)).join(', ');
    throw new ModelValidationError(
      MODEL_FILE_NAMES.onnx,
      `${role} ${value?.name} has shape [${shown}], expected [batch, ${width}] (${width} ${what} in metadata.json)`,
    );
  }
}
