/**
 * @module The TensorFlow.js side of training: a dense layers model built
 * with seeded initialisers, trained by tfjs itself without shuffling (the
 * trainer shuffles with its own seeded generator), and saved in memory to
 * `model.json` and `weights.bin` through `tf.io.withSaveHandler`.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_FILE_NAMES } from '../inference/model-files.ts';
import type { DenseLayer } from './dense.ts';

/** Shape of the layers after the input. */
export interface TfjsLayerSpec {
  readonly units: number;
  readonly activation: DenseLayer['activation'];
}

/** The two files of a saved layers model. */
export interface TfjsModelFiles {
  readonly topology: Uint8Array;
  readonly weights: Uint8Array;
}

/** Builds a dense sequential model with initialisers seeded from `seed`. */
export function buildDenseModel(inputSize: number, layers: readonly TfjsLayerSpec[], seed: number): tf.Sequential {
  // A fixed name, because tfjs otherwise numbers models per process and the topology would differ.
  const model = tf.sequential({ name: 'engine_health' });
  layers.forEach((spec, index) => {
    model.add(
      tf.layers.dense({
        units: spec.units,
        activation: spec.activation,
        inputShape: index === 0 ? [inputSize] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + index }),
        biasInitializer: 'zeros',
        name: `dense${index}`,
      }),
    );
  });
  return model;
}

/** Sets the weights of a model built by `buildDenseModel` from plain layers. */
export function setDenseWeights(model: tf.Sequential, layers: readonly DenseLayer[]): void {
  const tensors = layers.flatMap((layer) => [
    tf.tensor2d(layer.weights, [layer.inputSize, layer.outputSize]),
    tf.tensor1d(layer.bias),
  ]);
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/** Reads a dense sequential model's weights back into plain layers. */
export function readDenseWeights(model: tf.Sequential): DenseLayer[] {
  return model.layers.map((layer) => {
    const [kernel, bias] = layer.getWeights();
    const [inputSize, outputSize] = kernel.shape as [number, number];
    const config = layer.getConfig() as { activation?: string };
    return {
      inputSize,
      outputSize,
      weights: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
      activation: config.activation === 'relu' ? 'relu' : 'softmax',
    };
  });
}

/** Settings of a tfjs training run. */
export interface TfjsFitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Trains `model` on standardised rows with a loss weight per class. Rows
 * must already be in a seeded random order, because tfjs runs with shuffling off.
 */
export async function fitDenseModel(
  model: tf.Sequential,
  features: Float32Array,
  labels: Int32Array,
  classWeights: readonly number[],
  classCount: number,
  settings: TfjsFitSettings,
): Promise<void> {
  const rows = labels.length;
  const width = features.length / rows;
  model.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'categoricalCrossentropy' });

  const x = tf.tensor2d(features, [rows, width]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classCount).toFloat());
  try {
    await model.fit(x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: false,
      classWeight: Object.fromEntries(classWeights.map((w, i) => [i, w])),
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => settings.onEpoch?.(epoch, Number(logs?.loss ?? NaN)),
      },
    });
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Saves a layers model to the bytes of `model.json` and `weights.bin`. */
export async function saveLayersModel(model: tf.LayersModel): Promise<TfjsModelFiles> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as unknown as tf.io.ModelArtifacts;

  const topology = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [MODEL_FILE_NAMES.tfjsWeights], weights: artifacts.weightSpecs }],
  };
  const weightData = artifacts.weightData as ArrayBuffer;
  return {
    topology: new TextEncoder().encode(JSON.stringify(topology)),
    weights: new Uint8Array(weightData.slice(0)),
  };
}
