import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore } from '../../server/core/dsp.ts';
import type { ChannelId } from '../../server/domain/channels.ts';
import type { EngineProfile } from '../../server/domain/profile-types.ts';
import type { Sample } from '../../server/domain/sample.ts';
import { computeDerived } from '../../server/pipeline/derived.ts';
import { loadTestCore } from '../core/load-core.ts';

const PROFILE: EngineProfile = {
  id: 'test',
  name: 'Test build',
  description: 'Round-number tables for derived-metric tests.',
  turbo: { layout: 'single', wastegateSpringKpa: 50 },
  fuel: { stoichAfr: 14.7, basePressureKpa: 300 },
  cooling: { thermostatOpenC: 82, fanOnC: 95, fanOffC: 90 },
  redlineRpm: 7000,
  limits: {},
  lambdaTarget: {
    rows: [1000, 5000],
    columns: [50, 200],
    values: [
      [1.0, 0.9],
      [1.0, 0.8],
    ],
  },
  expectedBoostKpa: {
    rows: [2000, 6000],
    columns: [0, 100],
    values: [
      [0, 40],
      [0, 80],
    ],
  },
};

function held(channel: ChannelId, value: number, timeS = 10): Sample {
  return { channel, value, timeS };
}

function ramp(
  channel: ChannelId,
  rateHz: number,
  durationS: number,
  f: (t: number) => number,
): Sample[] {
  const count = Math.round(durationS * rateHz) + 1;
  return Array.from({ length: count }, (_, i) => ({
    channel,
    timeS: i / rateHz,
    value: f(i / rateHz),
  }));
}

describe('computeDerived', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore();
  });

  function derivedAt(samples: readonly Sample[], timeS: number) {
    core.reset();
    core.push(samples);
    return computeDerived(core, core.resample(timeS), PROFILE, timeS);
  }

  test('no inputs gives no metrics', () => {
    expect(derivedAt([], 10)).toEqual({});
  });

  // Bilinear target at 3,000 rpm and 125 kPa: rows give 0.95 and 0.9,
  // halfway between them 0.925.
  test('afrDelta against the target map', () => {
    const derived = derivedAt(
      [held('lambda', 0.95), held('rpm', 3000), held('mapKpa', 125)],
      10,
    );

    expect(derived.afrDelta).toBeCloseTo(0.025, 12);
  });

  test('afrDelta from boost and baro without MAP', () => {
    const derived = derivedAt(
      [held('lambda', 0.9), held('rpm', 3000), held('boostKpa', 24), held('baroKpa', 101)],
      10,
    );

    expect(derived.afrDelta).toBeCloseTo(-0.025, 12);
  });

  test('afrDelta absent when lambda is stale', () => {
    const derived = derivedAt(
      [held('lambda', 0.9, 0), held('rpm', 3000), held('mapKpa', 125)],
      10,
    );

    expect('afrDelta' in derived).toBe(false);
  });

  test('coolantRiseRate is the ramp slope', () => {
    const derived = derivedAt(ramp('coolantC', 1, 30, (t) => 70 + 0.3 * t), 30);

    expect(derived.coolantRiseRate).toBeCloseTo(0.3, 12);
  });

  test('coolantRiseRate absent until window is covered', () => {
    const samples = ramp('coolantC', 1, 30, (t) => 70 + 0.3 * t);

    expect('coolantRiseRate' in derivedAt(samples.slice(0, 2), 1)).toBe(false);
    expect(derivedAt(samples.slice(0, 3), 2).coolantRiseRate).toBeCloseTo(0.3, 12);
  });

  test('boostGradient from boostKpa', () => {
    const derived = derivedAt(ramp('boostKpa', 50, 3, (t) => -60 + 40 * t), 3);

    expect(derived.boostGradient).toBeCloseTo(40, 9);
  });

  test('boostGradient from mapKpa without boost', () => {
    const derived = derivedAt(ramp('mapKpa', 50, 3, (t) => 40 + 40 * t), 3);

    expect(derived.boostGradient).toBeCloseTo(40, 9);
  });

  test('boostGradient absent when boost is stale', () => {
    const derived = derivedAt(ramp('boostKpa', 50, 3, (t) => 10 * t), 5);

    expect('boostGradient' in derived).toBe(false);
  });

  // Expected boost at 4,000 rpm and full throttle: halfway between 40 and
  // 80 kPa gauge, so 60 kPa.
  test('turboDeviation as a fraction of expected', () => {
    const derived = derivedAt(
      [held('boostKpa', 45), held('rpm', 4000), held('throttlePct', 100)],
      10,
    );

    expect(derived.turboDeviation).toBeCloseTo(-0.25, 12);
  });

  test('turboDeviation from MAP uses baro', () => {
    const withBaro = derivedAt(
      [held('mapKpa', 146), held('baroKpa', 98), held('rpm', 4000), held('throttlePct', 100)],
      10,
    );
    const standard = derivedAt(
      [held('mapKpa', 161.325), held('rpm', 4000), held('throttlePct', 100)],
      10,
    );

    expect(withBaro.turboDeviation).toBeCloseTo(-0.2, 12);
    expect(standard.turboDeviation).toBeCloseTo(0, 12);
  });

  test('turboDeviation absent off boost', () => {
    // 20 % throttle at 4,000 rpm expects 12 kPa, under the 20 kPa floor.
    const derived = derivedAt(
      [held('boostKpa', 5), held('rpm', 4000), held('throttlePct', 20)],
      10,
    );

    expect('turboDeviation' in derived).toBe(false);
  });

  test('oilTempSwing over the last minute', () => {
    const samples = ramp('oilTempC', 1, 90, (t) => 100 + 10 * Math.sin(t / 9));
    const inWindow = samples.filter((s) => s.timeS >= 30).map((s) => s.value);
    const derived = derivedAt(samples, 90);

    expect(derived.oilTempSwing).toBeCloseTo(
      Math.max(...inWindow) - Math.min(...inWindow),
      12,
    );
  });

  test('oilTempSwing absent until window is covered', () => {
    const samples = ramp('oilTempC', 1, 90, () => 100);

    expect('oilTempSwing' in derivedAt(samples.slice(0, 11), 10)).toBe(false);
    expect(derivedAt(samples.slice(0, 13), 12).oilTempSwing).toBe(0);
  });

  test('stale input removes only its own metrics', () => {
    const derived = derivedAt(
      [
        ...ramp('coolantC', 1, 30, (t) => 70 + 0.1 * t),
        held('lambda', 0.9, 20),
        held('rpm', 3000, 30),
        held('mapKpa', 125, 30),
      ],
      30,
    );

    // One MAP sample has no slope, so boostGradient is absent as well.
    expect(Object.keys(derived)).toEqual(['coolantRiseRate']);
  });
});
