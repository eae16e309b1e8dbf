import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { MODEL_FILE_NAMES, ModelValidationError } from '../../server/inference/model-files.ts';
import { OnnxPredictor } from '../../server/inference/onnx-predictor.ts';
import { TfjsPredictor } from '../../server/inference/tfjs-predictor.ts';
import type { Predictor } from '../../server/inference/predictor.ts';
import { withFile } from '../../server/training/model-set.ts';
import {
  buildFixtureModelSet,
  FIXTURE_CLASSES,
  onnxWasmBinary,
  TFJS_PATHS,
} from './model-fixture.ts';

let files: Map<string, Uint8Array>;
let other: Map<string, Uint8Array>;
let wasm: Uint8Array;

beforeAll(async () => {
  files = await buildFixtureModelSet(1);
  other = await buildFixtureModelSet(2);
  wasm = await onnxWasmBinary();
});

const backends: [string, () => Predictor][] = [
  ['onnx', () => new OnnxPredictor(files, wasm)],
  ['tfjs', () => new TfjsPredictor(files, TFJS_PATHS)],
];

const input = { values: new Float32Array([1, -2, 0.5]) };

function metadataOf(set: Map<string, Uint8Array>): Record<string, any> {
  return JSON.parse(new TextDecoder().decode(set.get(MODEL_FILE_NAMES.metadata)));
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

describe.each(backends)('%s predictor', (backend, create) => {
  let predictor: Predictor;

  beforeAll(async () => {
    predictor = create();
    await predictor.warmUp();
  });

  afterAll(async () => {
    await predictor.dispose();
  });

  test('reproduces the reference outputs', async () => {
    const expected = metadataOf(files).reference.outputs[backend][1];
    const prediction = await predictor.run(input);

    FIXTURE_CLASSES.forEach((name, i) => {
      expect(prediction.classProbabilities[name]).toBeCloseTo(expected[i], 4);
    });
    const total = Object.values(prediction.classProbabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 5);
    expect(predictor.info.backend).toBe(backend as 'onnx' | 'tfjs');
    expect(predictor.info.version).toBe('fixture-1');
  });

  test('records latency percentiles', async () => {
    for (let i = 0; i < 20; i++) await predictor.run(input);
    const latency = predictor.latency();
    expect(latency.count).toBeGreaterThanOrEqual(20);
    expect(latency.p99).toBeGreaterThanOrEqual(latency.p50);
    expect(latency.p50).toBeGreaterThan(0);
  });

  test('rejects a feature vector of the wrong length', async () => {
    await expect(predictor.run({ values: new Float32Array(2) })).rejects.toThrow('expects 3 features');
  });

  test('swap rejects a garbage model file', async () => {
    const file = backend === 'onnx' ? MODEL_FILE_NAMES.onnx : MODEL_FILE_NAMES.tfjsTopology;
    const broken = withFile(other, file, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));

    await expect(predictor.swap(broken)).rejects.toBeInstanceOf(ModelValidationError);
    expect(predictor.info.version).toBe('fixture-1');
    const after = await predictor.run(input);
    expect(after.classProbabilities.healthy).toBeCloseTo(metadataOf(files).reference.outputs[backend][1][0], 4);
  });

  test('swap rejects metadata with a different feature count', async () => {
    const metadata = metadataOf(other);
    metadata.featureNames = ['a', 'b'];
    metadata.reference.inputs = metadata.reference.inputs.map((row: number[]) => row.slice(0, 2));
    const wrongShape = withFile(other, MODEL_FILE_NAMES.metadata, encode(metadata));

    await expect(predictor.swap(wrongShape)).rejects.toThrow(/shape|features/);
    expect(predictor.info.featureNames).toHaveLength(3);
  });

  test('swap rejects wrong reference outputs', async () => {
    const metadata = metadataOf(other);
    metadata.reference.outputs[backend][0][0] += 0.05;
    const wrongOutputs = withFile(other, MODEL_FILE_NAMES.metadata, encode(metadata));

    await expect(predictor.swap(wrongOutputs)).rejects.toThrow('does not match its metadata');
    expect(predictor.info.version).toBe('fixture-1');
  });

  test('swap installs a valid model', async () => {
    const info = await predictor.swap(other);
    const prediction = await predictor.run(input);

    expect(info.version).toBe('fixture-2');
    expect(prediction.classProbabilities.healthy).toBeCloseTo(metadataOf(other).reference.outputs[backend][1][0], 4);
    await predictor.swap(files);
  });
});

test('run before warm-up is rejected', async () => {
  const predictor = new OnnxPredictor(files, wasm);
  await expect(predictor.run(input)).rejects.toThrow('before warmUp');
});

test('metadata without healthy class is rejected', () => {
  const metadata = metadataOf(files);
  metadata.classNames = ['a', 'b', 'c'];
  const bad = withFile(files, MODEL_FILE_NAMES.metadata, encode(metadata));
  expect(() => new TfjsPredictor(bad, TFJS_PATHS)).toThrow('must include "healthy"');
});
