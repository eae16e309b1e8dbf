import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore } from '../../server/core/dsp.ts';
import type { Sample } from '../../server/domain/sample.ts';
import { dspWasmBytes, loadTestCore } from './load-core.ts';

beforeAll(async () => {
  await dspWasmBytes();
});

function series(
  channel: Sample['channel'],
  times: readonly number[],
  f: (t: number) => number,
): Sample[] {
  return times.map((timeS) => ({ channel, timeS, value: f(timeS) }));
}

// Deterministic irregular spacing: 20 ms +- up to 9 ms, from a fixed LCG.
function irregularTimes(startS: number, count: number): number[] {
  const times: number[] = [];
  let seed = 12345;
  let t = startS;
  for (let i = 0; i < count; i++) {
    times.push(t);
    seed = (seed * 1103515245 + 12345) % 2147483648;
    t += 0.02 + ((seed / 2147483648) * 0.018 - 0.009);
  }
  return times;
}

// Normal-equation slope computed in plain TypeScript as the reference.
function referenceSlope(points: readonly Sample[]): number {
  const n = points.length;
  const sx = points.reduce((s, p) => s + p.timeS, 0);
  const sy = points.reduce((s, p) => s + p.value, 0);
  const sxx = points.reduce((s, p) => s + (p.timeS - sx / n) ** 2, 0);
  const sxy = points.reduce(
    (s, p) => s + (p.timeS - sx / n) * (p.value - sy / n),
    0,
  );
  return sxy / sxx;
}

describe('slope', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore();
  });

  test('ramp with irregular spacing is exact', () => {
    core.reset();
    const times = irregularTimes(0, 400);
    core.push(series('coolantC', times, (t) => 3.5 * t - 2));
    const nowS = times[times.length - 1];

    for (const windowS of [0.1, 1, 5]) {
      expect(core.slope('coolantC', windowS, nowS)).toBeCloseTo(3.5, 9);
    }
  });

  test('ramp late in a long session keeps precision', () => {
    core.reset();
    const times = irregularTimes(86_400, 200);
    core.push(series('oilTempC', times, (t) => 0.01 * (t - 86_400) + 90));
    const nowS = times[times.length - 1];

    expect(core.slope('oilTempC', 2, nowS)).toBeCloseTo(0.01, 9);
  });

  test('matches reference on noisy irregular data', () => {
    core.reset();
    const times = irregularTimes(10, 300);
    const noisy = series('boostKpa', times, (t) => 40 * Math.sin(t) + ((t * 7919) % 3));
    core.push(noisy);
    const nowS = times[250];
    const windowS = 1.3;
    const inWindow = noisy.filter(
      (p) => p.timeS >= nowS - windowS && p.timeS <= nowS,
    );

    const slope = core.slope('boostKpa', windowS, nowS);
    expect(slope).not.toBeNull();
    expect(slope!).toBeCloseTo(referenceSlope(inWindow), 9);
  });

  // For f(t) = A sin(wt) sampled densely over a window of length W centred
  // at c, the least-squares slope is A w cos(w c) * g(u) with u = w W / 2
  // and g(u) = 3 (sin u - u cos u) / u^3. A trailing window therefore
  // estimates the derivative half a window back, attenuated by g(u).
  test('sinusoid matches the analytic window response', () => {
    core.reset();
    const amplitude = 50;
    const omega = 2 * Math.PI * 0.5;
    const windowS = 0.5;
    const rateHz = 1000;
    const times = Array.from({ length: 4000 }, (_, i) => i / rateHz);
    core.push(series('boostKpa', times, (t) => amplitude * Math.sin(omega * t)));

    const u = (omega * windowS) / 2;
    const gain = (3 * (Math.sin(u) - u * Math.cos(u))) / u ** 3;
    for (const nowS of [1.0, 1.7, 2.25, 3.9]) {
      const centreS = nowS - windowS / 2;
      const derivative = amplitude * omega * Math.cos(omega * centreS);
      const slope = core.slope('boostKpa', windowS, nowS)!;

      // Discrete sampling at 1 kHz differs from the continuous integral by
      // far less than 0.1 % of the peak derivative (157 kPa/s).
      expect(Math.abs(slope - derivative * gain)).toBeLessThan(0.05);
      // Against the true derivative the error is bounded by the
      // attenuation, about u^2 / 10 of the peak derivative.
      expect(Math.abs(slope - derivative)).toBeLessThan(
        (amplitude * omega * u * u) / 10,
      );
    }
  });

  test('fit reports the samples it rests on', () => {
    core.reset();
    core.push(series('coolantC', [1, 2.5, 4, 7, 7.5], (t) => 80 + 0.2 * t));
    const fit = core.slopeFit('coolantC', 5, 7.2);

    expect(fit).not.toBeNull();
    expect(fit!.slope).toBeCloseTo(0.2, 12);
    expect(fit!.count).toBe(3);
    expect(fit!.spanS).toBeCloseTo(4.5, 12);
  });

  test('fewer than two samples in window gives null', () => {
    core.reset();
    core.push(series('rpm', [0, 1, 2], () => 900));

    expect(core.slope('rpm', 0.5, 2)).toBeNull();
    expect(core.slope('rpm', 1, 2)).toBe(0);
    expect(core.slope('mapKpa', 10, 2)).toBeNull();
  });

  test('samples at one time only give null', () => {
    core.reset();
    core.push(series('rpm', [5, 5, 5], (t) => t));

    expect(core.slope('rpm', 1, 5)).toBeNull();
  });

  test('samples after the query time are ignored', () => {
    core.reset();
    core.push(series('mapKpa', [0, 1, 2, 3], (t) => (t <= 2 ? 10 * t : 0)));

    expect(core.slope('mapKpa', 2, 2)).toBeCloseTo(10, 12);
  });
});
