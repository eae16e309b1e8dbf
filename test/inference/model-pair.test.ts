import { afterAll, beforeAll, expect, test } from 'bun:test';
import { FEATURE_NAMES } from '../../server/inference/health/features.ts';
import { ModelPair } from '../../server/inference/model-pair.ts';
import { createInferenceStage } from '../../server/inference/stage.ts';
import { trainedBaseline } from '../../server/inference/training-record.ts';
import { parseMetadata } from '../../server/inference/model-files.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { onnxWasmBinary, TFJS_PATHS } from './model-fixture.ts';
import { shippedModelFiles } from './shipped-models.ts';

const features = new Float32Array(FEATURE_NAMES.length);
let both: ModelPair;

beforeAll(async () => {
  ({ pair: both } = await ModelPair.load(shippedModelFiles(), { onnxWasm: await onnxWasmBinary(), tfjsWasmPaths: TFJS_PATHS }));
});

afterAll(async () => {
  await both.dispose();
});

test('both backends answer with agreement', async () => {
  const output = await both.predict(features);
  expect(output.backends.map((b) => b.backend)).toEqual(['onnx', 'tfjs']);
  expect(output.agreement).toBe(1);
  expect(output.mean!.healthy).toBeGreaterThan(0.5);
});

test('absent ONNX backend leaves tfjs running', async () => {
  const { pair, errors } = await ModelPair.load(shippedModelFiles(), { onnxWasm: null, tfjsWasmPaths: TFJS_PATHS });
  const output = await pair.predict(features);

  expect(errors).toEqual([]);
  expect(output.backends.map((b) => b.backend)).toEqual(['tfjs']);
  expect(output.agreement).toBeNull();
  expect(output.mean).not.toBeNull();
  await pair.dispose();
});

test('no backend gives no classifier output', async () => {
  const { pair } = await ModelPair.load(shippedModelFiles(), { onnxWasm: null, tfjsWasmPaths: null });
  const output = await pair.predict(features);
  expect(output.backends).toEqual([]);
  expect(output.mean).toBeNull();
  await pair.dispose();
});

test('stage without models reports residual health', async () => {
  const baseline = trainedBaseline(parseMetadata(shippedModelFiles()))!;
  const stage = createInferenceStage({ profile: bundledProfile('stock-twin')!, models: null, baseline });
  const output = await stage.process({ seq: 0, timeS: 0, channels: { rpm: { value: 900, stale: false, state: 'ok' } }, derived: {} });

  expect(output.health!.backends).toEqual([]);
  expect(output.health!.subsystems.cooling).toBe(100);
});

test('stage without models or baseline is rejected', () => {
  expect(() => createInferenceStage({ profile: bundledProfile('stock-twin')!, models: null })).toThrow('baseline');
});
