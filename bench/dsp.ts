/**
 * @module Measures the DSP core. Slope and window statistics run in the
 * WebAssembly core and, side by side, as the same ring-buffer algorithms in
 * plain TypeScript on Float64Array. Then it times resampling every channel
 * and the DSP share of one pipeline tick. Run: `bun bench/dsp.ts`.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildCore, DSP_WASM_PATH } from '../core-asm/build.ts';
import { type DspCore, loadDspCore } from '../server/core/dsp.ts';
import { CHANNEL_IDS, type ChannelId } from '../server/domain/channels.ts';
import type { Sample } from '../server/domain/sample.ts';
import { computeDerived } from '../server/pipeline/derived.ts';
import { LimitEvaluator } from '../server/pipeline/limits.ts';
import { bundledProfile } from '../server/profiles/index.ts';

const CAPACITY = 4096;
const RATE_HZ = 50;
const TICK_S = 1 / 23.6;
const WINDOW_SAMPLES = [32, 512, 4000];

/** Ring buffer in plain TypeScript, laid out as the core lays out one channel. */
class TsRing {
  readonly times = new Float64Array(CAPACITY);
  readonly values = new Float64Array(CAPACITY);
  head = 0;
  count = 0;

  push(timeS: number, value: number): void {
    this.times[this.head] = timeS;
    this.values[this.head] = value;
    this.head = this.head + 1 === CAPACITY ? 0 : this.head + 1;
    if (this.count < CAPACITY) this.count += 1;
  }

  slope(windowS: number, timeS: number): number {
    const startS = timeS - windowS;
    let n = 0;
    let sumX = 0;
    let sumY = 0;
    let slot = this.head === 0 ? CAPACITY - 1 : this.head - 1;
    for (let k = 0; k < this.count && this.times[slot] >= startS; k++) {
      sumX += this.times[slot] - timeS;
      sumY += this.values[slot];
      n++;
      slot = slot === 0 ? CAPACITY - 1 : slot - 1;
    }
    if (n < 2) return Number.NaN;

    const meanX = sumX / n;
    const meanY = sumY / n;
    let sxx = 0;
    let sxy = 0;
    slot = this.head === 0 ? CAPACITY - 1 : this.head - 1;
    for (let k = 0; k < n; k++) {
      const dx = this.times[slot] - timeS - meanX;
      sxx += dx * dx;
      sxy += dx * (this.values[slot] - meanY);
      slot = slot === 0 ? CAPACITY - 1 : slot - 1;
    }
    return sxy / sxx;
  }

  stats(windowS: number, timeS: number) {
    const startS = timeS - windowS;
    let low = Infinity;
    let high = -Infinity;
    let sum = 0;
    let count = 0;
    let slot = this.head === 0 ? CAPACITY - 1 : this.head - 1;
    for (let k = 0; k < this.count && this.times[slot] >= startS; k++) {
      low = Math.min(low, this.values[slot]);
      high = Math.max(high, this.values[slot]);
      sum += this.values[slot];
      count++;
      slot = slot === 0 ? CAPACITY - 1 : slot - 1;
    }
    return { min: low, max: high, mean: sum / count, count };
  }
}

// Runs each function in turn for `sliceMs`, seven rounds after one warm-up
// round, and returns the median calls per second of each. Taking turns
// exposes all of them to the same load on a shared machine.
function callsPerSecond(fns: readonly (() => number)[], sliceMs = 100): number[] {
  const rates: number[][] = fns.map(() => []);
  let sink = 0;
  for (let round = 0; round < 8; round++) {
    fns.forEach((fn, index) => {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < sliceMs) {
        for (let i = 0; i < 100; i++) sink += fn();
        calls += 100;
        elapsed = performance.now() - start;
      }
      if (round > 0) rates[index].push(calls / (elapsed / 1000));
    });
  }
  // Reading the sink keeps the engine from dropping the calls as dead code.
  if (Number.isNaN(sink)) console.log('a benchmarked call returned NaN');
  return rates.map(median);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

function fillBoth(core: DspCore, ring: TsRing): number {
  const samples: Sample[] = [];
  for (let i = 0; i < CAPACITY; i++) {
    const timeS = i / RATE_HZ;
    const value = 100 + 20 * Math.sin(timeS) + (i % 7) * 0.1;
    samples.push({ channel: 'boostKpa', timeS, value });
    ring.push(timeS, value);
  }
  core.push(samples);
  return (CAPACITY - 1) / RATE_HZ;
}

function benchWindows(core: DspCore): void {
  const ring = new TsRing();
  const nowS = fillBoth(core, ring);
  console.log('\nWindow throughput (samples/s, median of 7 turns of 100 ms)');
  console.log(
    '| window (samples) | slope WASM | slope TS | min/max/mean WASM | min/max/mean TS |',
  );
  console.log('|---:|---:|---:|---:|---:|');

  for (const samples of WINDOW_SAMPLES) {
    const windowS = (samples - 1) / RATE_HZ;
    const check = core.slope('boostKpa', windowS, nowS)! - ring.slope(windowS, nowS);
    if (Math.abs(check) > 1e-9) throw new Error(`slopes differ by ${check}`);

    const rates = callsPerSecond([
      () => core.slope('boostKpa', windowS, nowS)!,
      () => ring.slope(windowS, nowS),
      () => core.windowStats('boostKpa', windowS, nowS)!.mean,
      () => ring.stats(windowS, nowS).mean,
    ]).map((calls) => `${((calls * samples) / 1e6).toFixed(1)} M`);
    console.log(`| ${samples} | ${rates.join(' | ')} |`);
  }
}

function tickBatch(tick: number): Sample[] {
  const timeS = tick * TICK_S;
  return CHANNEL_IDS.map((channel: ChannelId, i) => ({
    channel,
    timeS,
    value: 50 + 10 * Math.sin(timeS + i),
  }));
}

// The bundled default profile: real limits, rpm curves and target maps.
const PROFILE = bundledProfile('stock-twin')!;

function benchTick(core: DspCore): void {
  core.reset();
  const limits = new LimitEvaluator(PROFILE);
  const resampleUs: number[] = [];
  const tickUs: number[] = [];
  const ticks = 20_000;

  // One sample per channel per tick, about 850 samples/s in total; after
  // 4,096 ticks every ring is full, so windows and wrap-around are real.
  for (let tick = 0; tick < ticks; tick++) {
    const batch = tickBatch(tick);
    const timeS = tick * TICK_S;
    const start = performance.now();
    core.push(batch);
    const beforeResample = performance.now();
    const frame = core.resample(timeS);
    const afterResample = performance.now();
    computeDerived(core, frame, PROFILE, timeS);
    limits.evaluate(frame, timeS);
    const end = performance.now();
    if (tick >= 1000) {
      resampleUs.push((afterResample - beforeResample) * 1000);
      tickUs.push((end - start) * 1000);
    }
  }

  console.log(`\nPer tick, ${CHANNEL_IDS.length} channels, ${tickUs.length} ticks (µs)`);
  console.log('| step | p50 | p99 | max |');
  console.log('|---|---:|---:|---:|');
  for (const [name, values] of [
    ['resample (all channels)', resampleUs],
    ['push + resample + derived + limits', tickUs],
  ] as const) {
    const cells = [0.5, 0.99, 1].map((p) => percentile(values, p).toFixed(1));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

const wasmPath = existsSync(DSP_WASM_PATH) ? DSP_WASM_PATH : await buildCore();
const core = await loadDspCore(await Bun.file(wasmPath).arrayBuffer(), {
  capacity: CAPACITY,
});
const [load1] = loadavg();
console.log(
  `Bun ${Bun.version}, ${cpus().length} CPUs ${cpus()[0]?.model}, ` +
    `load average ${load1.toFixed(2)}, DSP core ${wasmPath}`,
);
benchWindows(core);
benchTick(core);
