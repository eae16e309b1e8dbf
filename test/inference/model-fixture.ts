/**
 * @module A small model set built in the test itself: two dense layers with
 * seeded weights, written by the same code that the trainer uses.
 */
import { resolve } from 'node:path';
import { Prng } from '../../server/engine/prng.ts';
import { initTfjsWasm, tfjsWasmPathsIn } from '../../server/inference/tfjs-runtime.ts';
import { ONNX_RUNTIME_FILE } from '../../server/inference/onnx-predictor.ts';
import type { DenseLayer } from '../../server/training/dense.ts';
import { assembleModelSet } from '../../server/training/model-set.ts';
import { buildDenseModel, setDenseWeights } from '../../server/training/tfjs-model.ts';
import { REPO_DIR } from '../support/shared-data.ts';

export const NODE_MODULES = resolve(REPO_DIR, 'node_modules');
export const TFJS_PATHS = tfjsWasmPathsIn(NODE_MODULES);

/** Returns the bytes of ONNX Runtime's WASM binary from `node_modules`. */
export async function onnxWasmBinary(): Promise<Uint8Array> {
  return new Uint8Array(await Bun.file(resolve(NODE_MODULES, ONNX_RUNTIME_FILE)).arrayBuffer());
}

export const FIXTURE_FEATURES = ['boostResidual', 'oilResidual', 'coolantResidual'];
export const FIXTURE_CLASSES = ['healthy', 'boost-leak', 'unknown'];

function randomLayers(seed: number, sizes: number[]): DenseLayer[] {
  const random = new Prng(seed);
  return sizes.slice(1).map((outputSize, i) => {
    const inputSize = sizes[i];
    return {
      inputSize,
      outputSize,
      weights: Float32Array.from({ length: inputSize * outputSize }, () => random.gaussian() * 0.7),
      bias: Float32Array.from({ length: outputSize }, () => random.gaussian() * 0.1),
      activation: i === sizes.length - 2 ? 'softmax' : 'relu',
    };
  });
}

/** Builds a model set of 3 features and 3 classes; `seed` varies the weights and version. */
export async function buildFixtureModelSet(seed = 1, hiddenUnits = 5): Promise<Map<string, Uint8Array>> {
  await initTfjsWasm(TFJS_PATHS);
  const sizes = [FIXTURE_FEATURES.length, hiddenUnits, FIXTURE_CLASSES.length];
  const tfjsLayers = randomLayers(seed + 100, sizes);
  const tfjsModel = buildDenseModel(sizes[0], [
    { units: hiddenUnits, activation: 'relu' },
    { units: FIXTURE_CLASSES.length, activation: 'softmax' },
  ], seed);
  setDenseWeights(tfjsModel, tfjsLayers);

  const files = await assembleModelSet({
    version: `fixture-${seed}`,
    featureNames: FIXTURE_FEATURES,
    classNames: FIXTURE_CLASSES,
    classSubsystems: { healthy: null, 'boost-leak': 'airBoost', unknown: null },
    onnxLayers: randomLayers(seed, sizes),
    tfjsModel,
    referenceInputs: [[0, 0, 0], [1, -2, 0.5], [-3, 4, 2]],
    training: { seed },
  });
  tfjsModel.dispose();
  return files;
}
