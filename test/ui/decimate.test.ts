import { describe, expect, test } from 'bun:test';
import { decimateMinMax } from '../../ui/src/decimate.ts';
import { SeriesHistory } from '../../ui/src/series-history.ts';

function historyOf(values: readonly number[], key = 'rpm'): SeriesHistory {
  const history = new SeriesHistory(values.length + 10);
  values.forEach((value, t) => history.append(t, [[key, value]]));
  return history;
}

describe('decimateMinMax', () => {
  test('returns a small window unreduced, with gaps as null', () => {
    const history = historyOf([1, 2, Number.NaN, 4]);
    const [x, y] = decimateMinMax(history, ['rpm'], { fromS: 0, toS: 3, buckets: 100, originS: 3 });

    expect(x).toEqual([-3, -2, -1, 0]);
    expect(y).toEqual([1, 2, null, 4]);
  });

  test('keeps only ticks inside the window', () => {
    const history = historyOf([10, 20, 30, 40, 50]);
    const [x, y] = decimateMinMax(history, ['rpm'], { fromS: 1, toS: 3, buckets: 100, originS: 0 });

    expect(x).toEqual([1, 2, 3]);
    expect(y).toEqual([20, 30, 40]);
  });

  test('reduces to at most two rows per bucket', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50));
    const history = historyOf(values);
    const [x] = decimateMinMax(history, ['rpm'], { fromS: 0, toS: 9999, buckets: 200, originS: 0 });

    expect(x.length).toBeLessThanOrEqual(400);
    expect(x.length).toBeGreaterThan(200);
  });

  test('keeps a one-tick spike', () => {
    const values = new Array(5000).fill(1000);
    values[2345] = 7200;
    values[4001] = -5;
    const history = historyOf(values);
    const [, y] = decimateMinMax(history, ['rpm'], { fromS: 0, toS: 4999, buckets: 50, originS: 0 });

    expect(Math.max(...(y as number[]))).toBe(7200);
    expect(Math.min(...(y as number[]))).toBe(-5);
  });

  test('orders a bucket extreme pair as it occurred', () => {
    // One bucket per 10 ticks: the maximum comes before the minimum here.
    const values = new Array(100).fill(0);
    for (let i = 0; i < 100; i += 10) {
      values[i + 2] = 9;
      values[i + 7] = -9;
    }
    const history = historyOf(values);
    const [x, y] = decimateMinMax(history, ['rpm'], { fromS: 0, toS: 99.99, buckets: 10, originS: 0 });

    expect(x.slice(0, 2)).toEqual([0, 9]);
    expect(y.slice(0, 2)).toEqual([9, -9]);
  });

  test('marks a bucket without values as a gap', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i >= 40 && i < 60 ? Number.NaN : i));
    const history = historyOf(values);
    const [x, y] = decimateMinMax(history, ['rpm'], { fromS: 0, toS: 99.99, buckets: 10, originS: 0 });

    expect(x.length).toBe(20);
    expect(y.slice(8, 12)).toEqual([null, null, null, null]);
    expect(y[12]).toBe(60);
  });

  test('returns null columns for a series never seen', () => {
    const history = historyOf([1, 2, 3]);
    const [x, y] = decimateMinMax(history, ['boostKpa'], { fromS: 0, toS: 2, buckets: 10, originS: 0 });

    expect(x).toEqual([0, 1, 2]);
    expect(y).toEqual([null, null, null]);
  });
});
