/**
 * @module Measures the streaming anomaly detector. Its throughput in values/s
 * is set beside a plain exponentially weighted 3-sigma detector (the
 * cheapest useful peer) and beside the monitor's real-time load of every
 * channel at 23.6 Hz. It also measures the heap per detector instance and
 * the time of a full NAB run.
 * Run: `bun bench/nab.ts [path/to/nab]` (default `../shared/data/nab`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { arch, cpus, platform } from 'node:os';
import { StreamingAnomalyDetector } from '../server/anomaly/detector.ts';
import { MONITOR_ALARM_SCORE, monitorDetectorOptions } from '../server/anomaly/channel-bank.ts';
import { evaluateNab, formatNabReport } from '../server/anomaly/nab.ts';
import { crossValidateNab } from '../server/anomaly/nab-cross-validation.ts';
import type { DetectorOptions } from '../server/anomaly/detector.ts';
import { CHANNEL_IDS } from '../server/domain/channels.ts';
import { SHARED_DATA_DIR } from '../test/support/shared-data.ts';
import { gaussianNoise } from '../test/anomaly/gaussian-noise.ts';

const VALUE_COUNT = 2_000_000;
const TICK_RATE_HZ = 23.6;
const INSTANCES_FOR_HEAP = 1000;
const ROUNDS = 5;

/** The peer: |x − EW mean| / EW standard deviation, alarm above 3. */
class EwThreeSigmaDetector {
  private mean = 0;
  private variance = 1;

  update(value: number): number {
    const z = Math.abs(value - this.mean) / Math.sqrt(this.variance);
    const delta = value - this.mean;
    this.mean += 0.001 * delta;
    this.variance = 0.999 * (this.variance + 0.001 * delta * delta);
    return z > 3 ? 1 : 0;
  }
}

function noise(count: number): Float64Array {
  let state = 12345;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    values[i] = state / 4294967296 - 0.5 + (i % 5000 === 0 ? 10 : 0);
  }
  return values;
}

/** Times `update` over the same values in several rounds and returns the median rate. */
function measureThroughput(name: string, update: (value: number) => number): number {
  const values = noise(VALUE_COUNT);
  let checksum = 0;
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < values.length; i++) checksum += update(values[i]);
    rates.push(VALUE_COUNT / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const rate = rates[Math.floor(ROUNDS / 2)];
  const range = `${formatRate(rates[0])} to ${formatRate(rates[ROUNDS - 1])}`;
  console.log(
    `${name.padEnd(26)} median ${formatRate(rate).padStart(11)} values/s ` +
      `(${(1e9 / rate).toFixed(0)} ns/value; rounds ${range}; checksum ${checksum.toFixed(0)})`,
  );
  return rate;
}

function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}

function measureHeapPerDetector(): number {
  Bun.gc(true);
  const before = process.memoryUsage().heapUsed;
  const detectors = Array.from({ length: INSTANCES_FOR_HEAP }, () => new StreamingAnomalyDetector());
  for (const detector of detectors) detector.update(1);
  Bun.gc(true);
  const after = process.memoryUsage().heapUsed;
  return (after - before) / detectors.length;
}

const MONITOR_TESTS: readonly [string, (value: number, seconds: number) => number][] = [
  ['5σ step', (value) => value + 5],
  ['2σ step', (value) => value + 2],
  ['1σ step', (value) => value + 1],
  ['drift 1σ/min', (value, seconds) => value + seconds / 60],
  ['4 × spread', (value) => 4 * value],
];

/** Measures the monitor settings at 23.6 Hz on noise, steps and a drift. */
function printMonitorSettings(): void {
  const options = monitorDetectorOptions(TICK_RATE_HZ);
  const noiseSamples = Math.round(110 * 60 * TICK_RATE_HZ);
  const settleSamples = Math.round(10 * 60 * TICK_RATE_HZ);
  console.log(`\nMonitor settings at ${TICK_RATE_HZ} Hz, alarm score ${MONITOR_ALARM_SCORE}:`);

  for (const seed of [1, 2, 3]) {
    const detector = new StreamingAnomalyDetector(options);
    let alarms = 0;
    let maxScore = 0;
    gaussianNoise(seed, noiseSamples).forEach((value, i) => {
      const score = detector.update(value);
      if (i >= settleSamples) maxScore = Math.max(maxScore, score);
      if (score >= MONITOR_ALARM_SCORE) alarms++;
    });
    const delays = MONITOR_TESTS.map(([name, change]) => `${name} ${formatDelay(alarmDelayS(seed, change))}`);
    console.log(
      `  seed ${seed}: alarms in 110 min of noise: ${alarms} (max score after 10 min ` +
        `${maxScore.toFixed(3)}); first alarm after: ${delays.join(', ')}`,
    );
  }
}

/** Returns seconds from a change after 15 min of noise to the first alarm, within 2 min. */
function alarmDelayS(seed: number, change: (value: number, seconds: number) => number): number {
  const detector = new StreamingAnomalyDetector(monitorDetectorOptions(TICK_RATE_HZ));
  const before = Math.round(15 * 60 * TICK_RATE_HZ);
  const values = gaussianNoise(seed + 100, before + Math.round(120 * TICK_RATE_HZ));
  for (let i = 0; i < values.length; i++) {
    const seconds = (i - before) / TICK_RATE_HZ;
    const score = detector.update(i < before ? values[i] : change(values[i], seconds));
    if (i >= before && score >= MONITOR_ALARM_SCORE) return seconds;
  }
  return Number.POSITIVE_INFINITY;
}

function formatDelay(seconds: number): string {
  return Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : 'none in 120 s';
}

function describeGridPoint(options: Partial<DetectorOptions>): string {
  const { riseMarginDecades, tailMemorySamples, scalesSamples } = options;
  return `margin ${riseMarginDecades}, tail ${tailMemorySamples}, scales ${scalesSamples?.join('-')}`;
}

/** Prints the nested leave-one-file-out score over a small grid of settings. */
/** The first design: rise rule, no tail delay, extrapolation or baseline warm-up. */
const RISE_VARIANT: Partial<DetectorOptions> = {
  reportRule: 'rise',
  tailDelaySamples: 0,
  extrapolationDecadesPerOctave: 0,
  baselineWarmUpSamples: 0,
};

async function printCrossValidation(
  dataDir: string,
  base: Partial<DetectorOptions>,
): Promise<void> {
  const candidates: Partial<DetectorOptions>[] = [];
  for (const riseMarginDecades of [0.25, 0.5, 0.75]) {
    for (const tailMemorySamples of [2500, 5000, 10_000]) {
      for (const scalesSamples of [[1, 8, 64, 512], [1, 4, 16, 64, 256]]) {
        candidates.push({ ...base, riseMarginDecades, tailMemorySamples, scalesSamples });
      }
    }
  }
  const started = performance.now();
  const results = await crossValidateNab(dataDir, candidates);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `Nested leave-one-file-out from ${JSON.stringify(base)}, over ${candidates.length} settings ` +
      `(settings and threshold chosen without the held-out file), ${seconds} s:`,
  );
  for (const { profile, normalised, choices } of results) {
    const picked = new Set(choices.map(({ candidateIndex }) => describeGridPoint(candidates[candidateIndex])));
    console.log(`  ${profile.padEnd(20)} ${normalised.toFixed(1)}  settings chosen: ${[...picked].join('; ')}`);
  }
}

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${platform()} ${arch()}, Bun ${Bun.version}`);
console.log(`\nThroughput over ${ROUNDS} rounds of ${VALUE_COUNT.toLocaleString('en-US')} values:`);
const detector = new StreamingAnomalyDetector();
const rate = measureThroughput('StreamingAnomalyDetector', (value) => detector.update(value));
const peer = new EwThreeSigmaDetector();
measureThroughput('EW 3-sigma (peer)', (value) => peer.update(value));

const realTimeLoad = CHANNEL_IDS.length * TICK_RATE_HZ;
console.log(
  `Monitor load: ${CHANNEL_IDS.length} channels × ${TICK_RATE_HZ} Hz = ${realTimeLoad.toFixed(0)} values/s, ` +
    `${((100 * realTimeLoad) / rate).toFixed(4)} % of one core for the detector.`,
);
console.log(`Heap per detector instance: about ${(measureHeapPerDetector() / 1024).toFixed(1)} KiB`);
printMonitorSettings();

const nabDir = process.argv[2] ?? join(SHARED_DATA_DIR, 'nab');
if (existsSync(join(nabDir, 'labels', 'combined_windows.json'))) {
  const started = performance.now();
  const report = await evaluateNab(nabDir);
  const totalS = (performance.now() - started) / 1000;
  console.log(`\nNAB run: ${totalS.toFixed(2)} s in all (reading, detecting, sweeping, leave-one-out)\n`);
  console.log(formatNabReport(report));
  await printCrossValidation(nabDir, {});
  const riseReport = await evaluateNab(nabDir, { detectorOptions: RISE_VARIANT });
  const riseScores = riseReport.profiles.map((one) => `${one.profile} ${one.normalised.toFixed(1)}`);
  console.log(`\nRise variant ${JSON.stringify(RISE_VARIANT)}: ${riseScores.join(', ')}`);
  await printCrossValidation(nabDir, RISE_VARIANT);
} else {
  console.log(`\nNAB run skipped: ${nabDir} has no labels/combined_windows.json.`);
}
