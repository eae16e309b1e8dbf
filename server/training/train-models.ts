/**
 * @module Fits both classifiers on labelled feature rows: class-balanced
 * weights, one standardisation shared by both, the perceptron for the ONNX
 * file trained in TypeScript and the dense model trained by TensorFlow.js,
 * each with the standardisation folded into its first layer.
 */
import type * as tf from '@tensorflow/tfjs';
import { deriveSeed, Prng } from '../engine/prng.ts';
import { foldStandardisation, type DenseLayer } from './dense.ts';
import type { Examples } from './examples.ts';
import { trainMlp } from './mlp-trainer.ts';
import { buildDenseModel, fitDenseModel, readDenseWeights, setDenseWeights } from './tfjs-model.ts';

/** Settings of both fits. */
export interface ModelSettings {
  readonly seed: number;
  readonly hiddenUnits: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** The two trained classifiers, both taking raw features. */
export interface TrainedModels {
  readonly onnxLayers: DenseLayer[];
  readonly tfjsModel: tf.Sequential;
}

/** Trains both classifiers; `onEpoch` reports each finished epoch of either. */
export async function trainBothModels(
  examples: Examples,
  classCount: number,
  settings: ModelSettings,
  onEpoch: () => void,
): Promise<TrainedModels> {
  const rows = examples.labels.length;
  const width = examples.features[0].length;
  const { mean, scale } = standardisation(examples.features, width);
  const order = shuffledOrder(rows, deriveSeed(settings.seed, 11));
  const rowWeights = classBalancedWeights(examples.labels, classCount);

  const standardised = new Float64Array(rows * width);
  examples.features.forEach((row, r) => {
    for (let j = 0; j < width; j++) standardised[r * width + j] = (row[j] - mean[j]) / scale[j];
  });

  const mlp = trainMlp(
    {
      features: standardised,
      labels: Int32Array.from(examples.labels),
      rows,
      width,
      classCount,
      rowWeights,
    },
    { ...settings, seed: deriveSeed(settings.seed, 12), weightDecay: 1e-4, onEpoch },
  );
  const onnxLayers = [foldStandardisation(mlp[0], mean, scale), mlp[1]];

  const tfjsModel = buildDenseModel(width, [
    { units: settings.hiddenUnits, activation: 'relu' },
    { units: classCount, activation: 'softmax' },
  ], deriveSeed(settings.seed, 13));
  const shuffled = new Float32Array(rows * width);
  const labels = new Int32Array(rows);
  order.forEach((source, target) => {
    shuffled.set(standardised.subarray(source * width, (source + 1) * width), target * width);
    labels[target] = examples.labels[source];
  });
  await fitDenseModel(tfjsModel, shuffled, labels, classWeights(examples.labels, classCount), classCount, { ...settings, onEpoch });

  const trained = readDenseWeights(tfjsModel);
  setDenseWeights(tfjsModel, [foldStandardisation(trained[0], mean, scale), trained[1]]);
  return { onnxLayers, tfjsModel };
}

function standardisation(features: number[][], width: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (const row of features) for (let j = 0; j < width; j++) mean[j] += row[j] / features.length;
  for (const row of features) for (let j = 0; j < width; j++) scale[j] += (row[j] - mean[j]) ** 2 / features.length;
  for (let j = 0; j < width; j++) scale[j] = Math.max(Math.sqrt(scale[j]), 1e-3);
  return { mean, scale };
}

/** Returns a loss weight per class so every present class carries the same total weight. */
function classWeights(labels: readonly number[], classCount: number): number[] {
  const counts = new Float64Array(classCount);
  for (const label of labels) counts[label]++;
  const present = counts.filter((c) => c > 0).length;
  return Array.from(counts, (count) => (count > 0 ? labels.length / (present * count) : 0));
}

/** Weights each row by its class weight. */
function classBalancedWeights(labels: readonly number[], classCount: number): Float64Array {
  const weights = classWeights(labels, classCount);
  return Float64Array.from(labels, (label) => weights[label]);
}

function shuffledOrder(rows: number, seed: number): Int32Array {
  const random = new Prng(seed);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
