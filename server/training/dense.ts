/**
 * @module A dense (fully connected) network as plain arrays: the form in
 * which the trainer keeps weights and from which both model files are
 * written, so the ONNX graph and the TensorFlow.js model describe one shape.
 */

/** One fully connected layer: `output = activation(input × weights + bias)`. */
export interface DenseLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Row-major `inputSize × outputSize` matrix. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly activation: 'relu' | 'softmax';
}

/** Runs `layers` on one input vector in float64 and returns the last layer's output. */
export function forwardDense(layers: readonly DenseLayer[], input: ArrayLike<number>): Float64Array {
  let values: Float64Array = Float64Array.from(input);
  for (const layer of layers) {
    const output = new Float64Array(layer.outputSize);
    for (let j = 0; j < layer.outputSize; j++) {
      let sum = layer.bias[j];
      for (let i = 0; i < layer.inputSize; i++) sum += values[i] * layer.weights[i * layer.outputSize + j];
      output[j] = sum;
    }
    values = layer.activation === 'relu' ? output.map((v) => Math.max(0, v)) : softmax(output);
  }
  return values;
}

/** Returns the softmax of `logits`, shifted by their maximum for stability. */
export function softmax(logits: Float64Array): Float64Array {
  const max = logits.reduce((a, b) => Math.max(a, b), -Infinity);
  const exps = logits.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / total);
}

/**
 * Folds a per-feature standardisation `(x - mean) / scale` into the first
 * layer, so the model files take raw features.
 */
export function foldStandardisation(
  layer: DenseLayer,
  mean: Float64Array,
  scale: Float64Array,
): DenseLayer {
  const weights = new Float32Array(layer.weights.length);
  const bias = Float32Array.from(layer.bias);
  for (let i = 0; i < layer.inputSize; i++) {
    for (let j = 0; j < layer.outputSize; j++) {
      const w = layer.weights[i * layer.outputSize + j] / scale[i];
      weights[i * layer.outputSize + j] = w;
      bias[j] -= mean[i] * w;
    }
  }
  return { ...layer, weights, bias };
}
