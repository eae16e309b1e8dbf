/**
 * Benchmark of the two model backends on the shipped model set (`models/`).
 * It measures the latency per tick of ONNX Runtime Web alone, TensorFlow.js
 * (WASM) alone, both in parallel as the inference stage runs them, and the
 * whole stage (residual monitor, both backends, assessment). Beside them
 * stand the same network in plain TypeScript (the arithmetic floor) and the
 * tick period at 23.6 Hz (the physical budget).
 *
 *   bun bench/inference.ts [--ticks N]
 */
import { parseArgs } from 'node:util';
import type { ChannelId } from '../server/domain/channels.ts';
import { extractFeatures, FEATURE_NAMES } from '../server/inference/health/features.ts';
import { HealthMonitor } from '../server/inference/health/monitor.ts';
import { emptySnapshot } from '../server/inference/health/snapshot.ts';
import { ModelPair } from '../server/inference/model-pair.ts';
import { readModelFiles } from '../server/inference/model-store.ts';
import { runtimeFilesFromNodeModules } from '../server/inference/runtime-files.ts';
import { createInferenceStage } from '../server/inference/stage.ts';
import { trainedBaseline, trainedThresholds } from '../server/inference/training-record.ts';
import { LatencyWindow } from '../server/pipeline/latency-window.ts';
import type { ChannelReading } from '../server/protocol.ts';
import { TICK_HZ } from '../server/protocol.ts';
import { bundledProfile } from '../server/profiles/index.ts';
import { forwardDense } from '../server/training/dense.ts';
import { readSnapshot, simulatedFrames } from '../server/training/frames.ts';
import { readDenseWeights } from '../server/training/tfjs-model.ts';
import * as tf from '@tensorflow/tfjs';

const { values } = parseArgs({ args: process.argv.slice(2), options: { ticks: { type: 'string', default: '20000' } } });
const tickCount = Number(values.ticks);

const profile = bundledProfile('stock-twin')!;
const files = readModelFiles('models');
const runtime = await runtimeFilesFromNodeModules([process.cwd()]);
const startMs = performance.now();
const { pair, errors } = await ModelPair.load(files, runtime);
const warmUpMs = performance.now() - startMs;
if (errors.length > 0) throw new Error(errors.join('; '));

// Feature vectors of a real drive of the engine model (track scenario, with a fault half-way).
const frames = simulatedFrames('bench', {
  seed: 77,
  profile,
  scenario: 'track',
  durationS: Math.ceil(tickCount / TICK_HZ) + 1,
  faults: [{ kind: 'boost-leak', onsetS: tickCount / TICK_HZ / 2, severity: 0.6 }],
});
const monitor = new HealthMonitor(profile, trainedBaseline(pair.metadata)!, trainedThresholds(pair.metadata));
const vectors: Float32Array[] = [];
for (let i = 0; i < tickCount; i++) {
  monitor.update(readSnapshot(frames, i, emptySnapshot()), frames.timeS[i]);
  vectors.push(extractFeatures(monitor, frames.timeS[i], new Float32Array(FEATURE_NAMES.length)).slice());
}

async function measure(label: string, run: (v: Float32Array, i: number) => Promise<unknown> | unknown): Promise<string> {
  const window = new LatencyWindow(tickCount);
  for (let i = 0; i < 500; i++) await run(vectors[i], i);
  for (let i = 0; i < tickCount; i++) {
    const start = performance.now();
    await run(vectors[i], i);
    window.record(performance.now() - start);
  }
  const p = window.percentiles();
  return `| ${label} | ${p.count} | ${(1000 * p.p50).toFixed(1)} | ${(1000 * p.p99).toFixed(1)} | ${(1000 * p.max).toFixed(1)} |`;
}

const [onnx, tfjs] = pair.running;
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: JSON.parse(new TextDecoder().decode(files.get('model.json'))).modelTopology,
    weightSpecs: JSON.parse(new TextDecoder().decode(files.get('model.json'))).weightsManifest[0].weights,
    weightData: files.get('weights.bin')!.slice().buffer,
  }),
);
const layers = readDenseWeights(model as tf.Sequential);

const stage = createInferenceStage({ profile, models: pair });
const columns = Object.entries(frames.channels) as [ChannelId, Float64Array][];
const stageTick = async (_: Float32Array, i: number) => {
  const channels: Partial<Record<ChannelId, ChannelReading>> = {};
  for (const [id, column] of columns) channels[id] = { value: column[i], stale: false, state: 'ok' };
  await stage.process({ seq: i, timeS: frames.timeS[i], channels, derived: {} });
};

const rows = [
  await measure('plain TypeScript forward pass (floor)', (v) => forwardDense(layers, v)),
  await measure('ONNX Runtime Web alone', (v) => onnx.run({ values: v })),
  await measure('TensorFlow.js WASM alone', (v) => tfjs.run({ values: v })),
  await measure('both in parallel (Promise.allSettled)', (v) => pair.predict(v)),
  await measure('whole inference stage per tick', stageTick),
];

console.log(`Model set ${pair.metadata.version}: ${FEATURE_NAMES.length} features, ${pair.metadata.classNames.length} classes.`);
console.log(`Start-up (load, compile, warm up both backends): ${warmUpMs.toFixed(0)} ms.`);
console.log(`Tick period at ${TICK_HZ.toFixed(1)} Hz: ${(1000 / TICK_HZ).toFixed(1)} ms = ${(1e6 / TICK_HZ).toFixed(0)} µs.\n`);
console.log('| what | ticks | p50 µs | p99 µs | max µs |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
await pair.dispose();
