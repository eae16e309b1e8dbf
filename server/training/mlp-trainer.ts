/**
 * @module A one-hidden-layer perceptron trained in plain TypeScript (ReLU,
 * softmax, cross-entropy, Adam, seeded mini-batches). It is the model that
 * the ONNX file carries; training it here keeps the whole pipeline inside
 * the product and reproducible from a seed.
 */
import { Prng } from '../engine/prng.ts';
import type { DenseLayer } from './dense.ts';

/** Standardised training rows and their class indices. */
export interface TrainingMatrix {
  /** Row-major `rows × width` features, already standardised. */
  readonly features: Float64Array;
  readonly labels: Int32Array;
  readonly rows: number;
  readonly width: number;
  readonly classCount: number;
  /** Loss weight per row (class balancing). */
  readonly rowWeights: Float64Array;
}

/** Settings of one training run. */
export interface MlpSettings {
  readonly hiddenUnits: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** L2 penalty on the weights. */
  readonly weightDecay: number;
  readonly seed: number;
  /** Called after each epoch with the mean weighted loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains the perceptron and returns its two layers (hidden ReLU, softmax output). */
export function trainMlp(data: TrainingMatrix, settings: MlpSettings): DenseLayer[] {
  const random = new Prng(settings.seed);
  const params = [
    initialWeights(data.width, settings.hiddenUnits, random),
    new Float64Array(settings.hiddenUnits),
    initialWeights(settings.hiddenUnits, data.classCount, random),
    new Float64Array(data.classCount),
  ];
  const optimiser = new Adam(params, settings.learningRate);
  const order = Int32Array.from({ length: data.rows }, (_, i) => i);

  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffle(order, random);
    let lossSum = 0;
    for (let start = 0; start < data.rows; start += settings.batchSize) {
      const batch = order.subarray(start, Math.min(data.rows, start + settings.batchSize));
      const gradients = params.map((p) => new Float64Array(p.length));
      lossSum += accumulateBatch(data, params, settings.hiddenUnits, batch, gradients);
      addWeightDecay(params, gradients, settings.weightDecay, batch.length);
      optimiser.step(gradients, batch.length);
    }
    settings.onEpoch?.(epoch, lossSum / data.rows);
  }

  return [
    toLayer(params[0], params[1], data.width, settings.hiddenUnits, 'relu'),
    toLayer(params[2], params[3], settings.hiddenUnits, data.classCount, 'softmax'),
  ];
}

function initialWeights(inputs: number, outputs: number, random: Prng): Float64Array {
  const limit = Math.sqrt(6 / (inputs + outputs));
  return Float64Array.from({ length: inputs * outputs }, () => (random.next() * 2 - 1) * limit);
}

function shuffle(order: Int32Array, random: Prng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
}

/** Adds the gradients of one batch to `gradients`; returns the batch's weighted loss sum. */
function accumulateBatch(
  data: TrainingMatrix,
  params: Float64Array[],
  hiddenUnits: number,
  batch: Int32Array,
  gradients: Float64Array[],
): number {
  const [w1, b1, w2, b2] = params;
  const [gw1, gb1, gw2, gb2] = gradients;
  const { width, classCount } = data;
  const hidden = new Float64Array(hiddenUnits);
  const logits = new Float64Array(classCount);
  const hiddenGradient = new Float64Array(hiddenUnits);
  let loss = 0;

  for (const row of batch) {
    const x = data.features.subarray(row * width, (row + 1) * width);
    const weight = data.rowWeights[row];

    for (let h = 0; h < hiddenUnits; h++) {
      let sum = b1[h];
      for (let i = 0; i < width; i++) sum += x[i] * w1[i * hiddenUnits + h];
      hidden[h] = sum > 0 ? sum : 0;
    }
    let max = -Infinity;
    for (let c = 0; c < classCount; c++) {
      let sum = b2[c];
      for (let h = 0; h < hiddenUnits; h++) sum += hidden[h] * w2[h * classCount + c];
      logits[c] = sum;
      max = Math.max(max, sum);
    }
    let total = 0;
    for (let c = 0; c < classCount; c++) {
      logits[c] = Math.exp(logits[c] - max);
      total += logits[c];
    }

    const label = data.labels[row];
    loss -= weight * Math.log(Math.max(logits[label] / total, 1e-12));
    hiddenGradient.fill(0);
    for (let c = 0; c < classCount; c++) {
      const delta = weight * (logits[c] / total - (c === label ? 1 : 0));
      gb2[c] += delta;
      for (let h = 0; h < hiddenUnits; h++) {
        gw2[h * classCount + c] += delta * hidden[h];
        hiddenGradient[h] += delta * w2[h * classCount + c];
      }
    }
    for (let h = 0; h < hiddenUnits; h++) {
      if (hidden[h] <= 0) continue;
      gb1[h] += hiddenGradient[h];
      for (let i = 0; i < width; i++) gw1[i * hiddenUnits + h] += hiddenGradient[h] * x[i];
    }
  }
  return loss;
}

function addWeightDecay(params: Float64Array[], gradients: Float64Array[], decay: number, batchSize: number): void {
  for (const index of [0, 2]) {
    const p = params[index];
    const g = gradients[index];
    for (let i = 0; i < p.length; i++) g[i] += decay * batchSize * p[i];
  }
}

/** Adam with the usual defaults (beta 0.9 and 0.999), updating parameters in place. */
class Adam {
  private readonly first: Float64Array[];
  private readonly second: Float64Array[];
  private stepCount = 0;

  constructor(
    private readonly params: Float64Array[],
    private readonly learningRate: number,
  ) {
    this.first = params.map((p) => new Float64Array(p.length));
    this.second = params.map((p) => new Float64Array(p.length));
  }

  step(gradients: Float64Array[], batchSize: number): void {
    this.stepCount++;
    const correction1 = 1 - 0.9 ** this.stepCount;
    const correction2 = 1 - 0.999 ** this.stepCount;
    this.params.forEach((p, k) => {
      const m = this.first[k];
      const v = this.second[k];
      const g = gradients[k];
      for (let i = 0; i < p.length; i++) {
        const gradient = g[i] / batchSize;
        m[i] = 0.9 * m[i] + 0.1 * gradient;
        v[i] = 0.999 * v[i] + 0.001 * gradient * gradient;
        p[i] -= (this.learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + 1e-8);
      }
    });
  }
}

function toLayer(
  weights: Float64Array,
  bias: Float64Array,
  inputSize: number,
  outputSize: number,
  activation: DenseLayer['activation'],
): DenseLayer {
  return { inputSize, outputSize, weights: Float32Array.from(weights), bias: Float32Array.from(bias), activation };
}
