import { describe, expect, test } from 'bun:test';
import { DelayLine, EwMoments, RollingMax, RollingMean } from '../../server/anomaly/rolling.ts';
import { TailHistogram } from '../../server/anomaly/tail-histogram.ts';

describe('RollingMean', () => {
  test('averages the last n samples', () => {
    const mean = new RollingMean(3);
    mean.push(1);
    mean.push(2);
    expect(mean.isFull).toBe(false);
    expect(mean.mean).toBe(1.5);
    mean.push(3);
    mean.push(10);
    expect(mean.isFull).toBe(true);
    expect(mean.mean).toBe(5);
  });

  test('does not drift over many samples', () => {
    const mean = new RollingMean(7);
    for (let i = 0; i < 100_000; i++) mean.push(i % 2 === 0 ? 1e8 + 0.1 : -1e8);
    for (let i = 0; i < 7; i++) mean.push(0.5);
    expect(mean.mean).toBe(0.5);
  });
});

describe('RollingMax', () => {
  test('tracks the maximum of the window', () => {
    const max = new RollingMax(3);
    expect(max.max).toBe(Number.NEGATIVE_INFINITY);
    const expected = [5, 5, 5, 4, 4, 7, 7];
    [5, 1, 4, 3, 2, 7, 1].forEach((value, i) => {
      max.push(value);
      expect(max.max).toBe(expected[i]);
    });
  });
});

describe('EwMoments', () => {
  test('measures distance in standard deviations', () => {
    const moments = new EwMoments(1000);
    expect(moments.absoluteZ(5)).toBe(0);
    [1, -1, 1, -1].forEach((value) => moments.push(value));
    // Equal weights for the first samples: mean 0, population variance 1.
    expect(moments.absoluteZ(3)).toBeCloseTo(3, 6);
  });
});

describe('TailHistogram', () => {
  test('ranks a value among past values', () => {
    const tail = new TailHistogram(1e9);
    expect(tail.tailProbability(1)).toBe(1);
    for (let i = 0; i < 99; i++) tail.push(1);
    // Far above every past value: only the pseudo-value is above, 1/(99 + 1).
    expect(tail.tailProbability(100)).toBeCloseTo(0.01, 6);
    // Far below: every past value is above.
    expect(tail.tailProbability(0)).toBeCloseTo(1, 6);
  });

  test('forgets old values', () => {
    const tail = new TailHistogram(100);
    for (let i = 0; i < 100; i++) tail.push(50);
    expect(tail.tailProbability(50)).toBeGreaterThan(0.4);
    for (let i = 0; i < 2000; i++) tail.push(0.1);
    // Only the pseudo-value, weighted like the newest sample, stays above: about 1/memory.
    expect(tail.tailProbability(50)).toBeCloseTo(0.01, 3);
  });
});

describe('DelayLine', () => {
  test('returns values after the delay', () => {
    const delay = new DelayLine(2);
    expect(delay.push(1)).toBeNaN();
    expect(delay.push(2)).toBeNaN();
    expect(delay.push(3)).toBe(1);
    expect(delay.push(4)).toBe(2);
  });
});

describe('TailHistogram extrapolation', () => {
  test('lowers the tail beyond history', () => {
    const plain = new TailHistogram(1e9);
    const extrapolated = new TailHistogram(1e9, 1);
    for (let i = 0; i < 1100; i++) {
      plain.push(1);
      extrapolated.push(1);
    }
    // 16 lies 4 octaves (16 bins) above the bin of 1, so 4 more decades.
    expect(extrapolated.tailProbability(16)).toBeCloseTo(plain.tailProbability(16) * 1e-4, 12);
    expect(extrapolated.tailProbability(1)).toBe(plain.tailProbability(1));
  });

  test('waits for enough history', () => {
    const plain = new TailHistogram(1e9);
    const extrapolated = new TailHistogram(1e9, 1);
    for (let i = 0; i < 99; i++) {
      plain.push(1);
      extrapolated.push(1);
    }
    expect(extrapolated.tailProbability(16)).toBe(plain.tailProbability(16));
  });

  test('rejects a negative extrapolation', () => {
    expect(() => new TailHistogram(100, -1)).toThrow('zero or more decades per octave, got -1');
  });
});
