import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore } from '../../server/core/dsp.ts';
import { channelIndex } from '../../server/domain/channels.ts';
import type { Sample } from '../../server/domain/sample.ts';
import { loadTestCore } from './load-core.ts';

const OIL = channelIndex('oilTempC');

// Irregular gaps from 0.05 s to 2.1 s, as a slow OBD poll produces.
const GAPS_S = [0.05, 0.7, 2.1, 0.3, 0.3, 1.2, 0.05, 0.9, 1.6, 0.4];

function oilSamples(count: number): Sample[] {
  const samples: Sample[] = [];
  let timeS = 100;
  for (let i = 0; i < count; i++) {
    samples.push({
      channel: 'oilTempC',
      timeS,
      value: 95 + 6 * Math.sin(i * 0.9) + (i % 4),
    });
    timeS += GAPS_S[i % GAPS_S.length];
  }
  return samples;
}

function referenceStats(samples: readonly Sample[], fromS: number, toS: number) {
  const inWindow = samples.filter((s) => s.timeS >= fromS && s.timeS <= toS);
  const values = inWindow.map((s) => s.value);
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    count: values.length,
    spanS: inWindow[inWindow.length - 1].timeS - inWindow[0].timeS,
  };
}

describe('windowStats', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore();
  });

  test('matches reference with irregular timestamps', () => {
    core.reset();
    const samples = oilSamples(200);
    core.push(samples);

    for (const [nowS, windowS] of [
      [150, 10],
      [170.35, 3.3],
      [200, 60],
    ]) {
      const expected = referenceStats(samples, nowS - windowS, nowS);
      const stats = core.windowStats('oilTempC', windowS, nowS);
      expect(stats).not.toBeNull();
      expect(stats!.count).toBe(expected.count);
      expect(stats!.min).toBe(expected.min);
      expect(stats!.max).toBe(expected.max);
      expect(stats!.mean).toBeCloseTo(expected.mean, 10);
      expect(stats!.spanS).toBeCloseTo(expected.spanS, 12);
    }
  });

  test('window includes both ends', () => {
    core.reset();
    core.push([1, 2, 3, 4].map((t) => ({ channel: 'oilTempC', timeS: t, value: t })));
    const stats = core.windowStats('oilTempC', 2, 3);

    expect(stats).toEqual({ min: 1, max: 3, mean: 2, count: 3, spanS: 2 });
  });

  test('empty window gives null', () => {
    core.reset();
    core.push([{ channel: 'oilTempC', timeS: 1, value: 90 }]);

    expect(core.windowStats('oilTempC', 5, 10)).toBeNull();
    expect(core.windowStats('coolantC', 5, 10)).toBeNull();
  });
});

describe('ring buffer at capacity', () => {
  const CAPACITY = 8;
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore({ capacity: CAPACITY });
  });

  test('keeps only the newest samples after wrapping', () => {
    core.reset();
    const samples = Array.from({ length: 21 }, (_, i) => ({
      channel: 'oilTempC' as const,
      timeS: i,
      value: i * i,
    }));
    core.push(samples);
    const stats = core.windowStats('oilTempC', 1000, 20);

    expect(core.storedCount('oilTempC')).toBe(CAPACITY);
    expect(stats).toEqual(referenceStats(samples, 13, 20));
  });

  test('slope across the wrap point is exact', () => {
    core.reset();
    for (let start = 0; start < 30; start += 3) {
      core.push(
        [0, 1, 2].map((k) => ({
          channel: 'oilTempC' as const,
          timeS: start + k,
          value: 4 * (start + k) + 1,
        })),
      );
    }

    expect(core.slope('oilTempC', 6, 29)).toBeCloseTo(4, 12);
    expect(core.slope('oilTempC', 100, 29)).toBeCloseTo(4, 12);
  });

  test('hold-last and windows work at every head position', () => {
    core.reset();
    for (let i = 0; i < 3 * CAPACITY; i++) {
      core.push([{ channel: 'oilTempC', timeS: i, value: -i }]);
      const frame = core.resample(i + 0.5);
      const stats = core.windowStats('oilTempC', 2, i);

      expect(frame.value[OIL]).toBe(-i);
      expect(stats!.max).toBe(-Math.max(0, i - 2));
      expect(stats!.min).toBe(-i);
    }
  });

  test('tick older than every kept sample is absent', () => {
    core.reset();
    core.push(Array.from({ length: 20 }, (_, i) => ({
      channel: 'oilTempC' as const,
      timeS: i,
      value: i,
    })));

    expect(core.resample(11.5).isPresent[OIL]).toBe(0);
    expect(core.resample(12).value[OIL]).toBe(12);
  });
});
