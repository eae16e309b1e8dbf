/**
 * @module Measures the engine model: simulated seconds per wall-clock second
 * for `simulateDrive` on every scenario at 50 Hz steps. The physical limit
 * beside it is real time (1 simulated s per s), which is what the live sim
 * source needs. It also times superimposing a fault on a recorded log and the
 * sim source's `advanceTo` with per-channel sampling.
 * Run: `bun bench/engine.ts [simulatedSeconds]` (default 1800).
 */
import { cpus, loadavg } from 'node:os';
import {
  SCENARIO_IDS,
  simulateDrive,
  superimposeFaults,
  type DriveResult,
} from '../server/engine/index.ts';
import { bundledProfile } from '../server/profiles/index.ts';
import { createSimSource, type SimSource } from '../server/sources/sim/index.ts';

const durationS = Number(process.argv[2] ?? 1800);
const stockTwin = bundledProfile('stock-twin')!;

/** Runs `work` three times after one warm-up and returns the median wall time in s. */
function medianWallS(work: () => void): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    work();
    times.push((performance.now() - start) / 1000);
  }
  return times.sort((a, b) => a - b)[1];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function benchScenarios(): void {
  const header = ['scenario', 'profile', 'simulated s', 'wall s', 'sim s per wall s', 'x real'];
  console.log(row(header));
  console.log(row(['---', '---', '---:', '---:', '---:', '---:']));
  for (const profileId of ['stock-twin', 'big-single']) {
    const profile = bundledProfile(profileId)!;
    for (const scenario of SCENARIO_IDS) {
      const wallS = medianWallS(() => simulateDrive({ seed: 1, profile, scenario, durationS }));
      const rate = (durationS / wallS).toFixed(0);
      console.log(
        row([scenario, profileId, String(durationS), wallS.toFixed(3), rate, `${rate}x`]),
      );
    }
  }
  const seconds = String(durationS);
  const limit = ['real time (physical limit)', '-', seconds, seconds, '1', '1x'];
  console.log(row(limit));
}

function benchSuperimpose(): void {
  const log: DriveResult = simulateDrive({
    seed: 1,
    profile: stockTwin,
    scenario: 'street',
    durationS,
  });
  const steps = log.timeS.length;
  const faults = [{ kind: 'head-gasket-leak' as const, onsetS: 60, severity: 1 }];
  const wallS = medianWallS(() => superimposeFaults(log, faults, stockTwin, 1));
  const channels = Object.keys(log.channels).length;
  console.log(
    `superimposeFaults: ${steps} steps x ${channels} channels in ${wallS.toFixed(3)} s = ` +
      `${(steps / wallS / 1000).toFixed(0)} k steps/s, ` +
      `${(durationS / wallS).toFixed(0)}x real time at 50 Hz`,
  );
}

async function benchSource(): Promise<void> {
  const source = createSimSource('?scenario=street', { flags: {}, dataDir: '/tmp' }) as SimSource;
  let samples = 0;
  await source.start({
    sink: (batch) => (samples += batch.length),
    clock: { nowS: () => 0 },
    onStatus: () => {},
    onEvent: () => {},
  });

  const start = performance.now();
  for (let t = 0; t <= durationS; t += 1 / 23.6) source.advanceTo(t);
  const elapsedS = (performance.now() - start) / 1000;
  console.log(
    `sim source advanceTo at 23.6 Hz ticks: ${samples} samples in ${elapsedS.toFixed(3)} s = ` +
      `${(durationS / elapsedS).toFixed(0)}x real time, ` +
      `${(samples / elapsedS / 1e6).toFixed(2)} M samples/s`,
  );
}

console.log(`engine benchmark: ${durationS} simulated s per run, 50 Hz steps`);
const load = loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load ${load}`);
console.log(`runtime: Bun ${Bun.version}\n`);
benchScenarios();
console.log('');
benchSuperimpose();
await benchSource();
