/**
 * @module Assembles the files of a model set from the trained layers of both
 * models: the ONNX graph, the TensorFlow.js files and `metadata.json` with
 * reference outputs computed from the layers themselves, so each runtime is
 * checked against the trainer's arithmetic when the set is loaded.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  METADATA_FORMAT,
  MODEL_FILE_NAMES,
  type ModelFiles,
  type ModelMetadata,
} from '../inference/model-files.ts';
import type { Subsystem } from '../protocol.ts';
import { forwardDense, type DenseLayer } from './dense.ts';
import { writeDenseOnnx } from './onnx-writer.ts';
import { readDenseWeights, saveLayersModel } from './tfjs-model.ts';

/** Largest difference accepted between a runtime and the trainer's float64 arithmetic. */
export const REFERENCE_TOLERANCE = 1e-4;

/** What a model set is made of. */
export interface ModelSetParts {
  readonly version: string;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
  readonly classSubsystems: Readonly<Record<string, Subsystem | null>>;
  /** Layers of the ONNX model, taking raw (unstandardised) features. */
  readonly onnxLayers: readonly DenseLayer[];
  /** The tfjs model, taking raw features. */
  readonly tfjsModel: tf.Sequential;
  readonly referenceInputs: readonly (readonly number[])[];
  readonly training: Readonly<Record<string, unknown>>;
}

/** Builds the four files of a model set; equal parts give equal bytes. */
export async function assembleModelSet(parts: ModelSetParts): Promise<Map<string, Uint8Array>> {
  const tfjsLayers = readDenseWeights(parts.tfjsModel);
  const reference = {
    inputs: parts.referenceInputs.map((row) => Array.from(Float32Array.from(row))),
    outputs: {
      onnx: parts.referenceInputs.map((row) => roundAll(forwardDense(parts.onnxLayers, Float32Array.from(row)))),
      tfjs: parts.referenceInputs.map((row) => roundAll(forwardDense(tfjsLayers, Float32Array.from(row)))),
    },
    tolerance: REFERENCE_TOLERANCE,
  };

  const metadata: ModelMetadata = {
    format: METADATA_FORMAT,
    version: parts.version,
    featureNames: parts.featureNames,
    classNames: parts.classNames,
    classSubsystems: parts.classSubsystems,
    reference,
    training: parts.training,
  };

  const tfjsFiles = await saveLayersModel(parts.tfjsModel);
  const onnx = writeDenseOnnx(parts.onnxLayers, {
    version: parts.version,
    description: `Engine health classifier over ${parts.featureNames.length} residual features`,
  });
  return new Map([
    [MODEL_FILE_NAMES.onnx, onnx],
    [MODEL_FILE_NAMES.tfjsTopology, tfjsFiles.topology],
    [MODEL_FILE_NAMES.tfjsWeights, tfjsFiles.weights],
    [MODEL_FILE_NAMES.metadata, new TextEncoder().encode(`${JSON.stringify(metadata, null, 1)}\n`)],
  ]);
}

/** Rounds to 7 significant digits so the JSON stays short and stable. */
function roundAll(values: Float64Array): number[] {
  return Array.from(values, (v) => Number(v.toPrecision(7)));
}

/** Returns a copy of `files` with one file replaced, for building altered sets. */
export function withFile(files: ModelFiles, name: string, bytes: Uint8Array): Map<string, Uint8Array> {
  const copy = new Map(files);
  copy.set(name, bytes);
  return copy;
}
