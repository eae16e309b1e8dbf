import { describe, expect, test } from 'bun:test';
import { SeriesHistory } from '../../ui/src/series-history.ts';

function valuesOf(history: SeriesHistory, key: string): number[] {
  const column = history.column(key);
  return Array.from({ length: history.length }, (_, i) => column![history.slotAt(i)]);
}

describe('SeriesHistory', () => {
  test('keeps ticks in order until full', () => {
    const history = new SeriesHistory(4);
    history.append(0, [['rpm', 800]]);
    history.append(1, [['rpm', 900]]);

    expect(history.length).toBe(2);
    expect(valuesOf(history, 'rpm')).toEqual([800, 900]);
    expect(history.latestTimeS()).toBe(1);
  });

  test('overwrites the oldest tick when full', () => {
    const history = new SeriesHistory(3);
    for (let t = 0; t < 5; t++) history.append(t, [['rpm', t * 100]]);

    expect(history.length).toBe(3);
    expect(valuesOf(history, 'rpm')).toEqual([200, 300, 400]);
    expect(Array.from({ length: 3 }, (_, i) => history.timeS[history.slotAt(i)])).toEqual([2, 3, 4]);
  });

  test('fills missing series with NaN', () => {
    const history = new SeriesHistory(4);
    history.append(0, [['rpm', 800]]);
    history.append(1, [['coolantC', 80]]);

    expect(valuesOf(history, 'rpm')).toEqual([800, Number.NaN]);
    expect(valuesOf(history, 'coolantC')).toEqual([Number.NaN, 80]);
  });

  test('rejects a time that does not increase', () => {
    const history = new SeriesHistory(4);
    history.append(5, []);

    expect(() => history.append(5, [])).toThrow('tick time 5 s is not after the newest stored 5 s');
    expect(history.length).toBe(1);
  });

  test('clear drops ticks and series', () => {
    const history = new SeriesHistory(4);
    history.append(0, [['rpm', 800]]);
    const revision = history.revision;
    history.clear();

    expect(history.length).toBe(0);
    expect(history.column('rpm')).toBeUndefined();
    expect(Number.isNaN(history.latestTimeS())).toBe(true);
    expect(history.revision).toBe(revision + 1);
  });

  test('rejects a non-positive capacity', () => {
    expect(() => new SeriesHistory(0)).toThrow('history capacity must be a positive integer, got 0');
  });
});
