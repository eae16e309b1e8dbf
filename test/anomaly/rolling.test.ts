import { describe, expect, test } from 'bun:test';
import { EwMoments, RollingMax, RollingMean } from '../../server/anomaly/rolling.ts';
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
