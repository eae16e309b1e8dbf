import { describe, expect, test } from 'bun:test';
import { TICK_HZ } from '../../server/protocol.ts';
import { SeriesHistory } from '../../ui/src/series-history.ts';
import { appendTick, derivedKey, MAX_JOINED_GAP_S } from '../../ui/src/tick-series.ts';
import { makeTick, reading, staleReading } from './support/ticks.ts';

function valuesOf(history: SeriesHistory, key: string): number[] {
  return Array.from({ length: history.length }, (_, i) => history.column(key)![history.slotAt(i)]);
}

function timesOf(history: SeriesHistory): number[] {
  return Array.from({ length: history.length }, (_, i) => history.timeS[history.slotAt(i)]);
}

describe('appendTick', () => {
  test('stores channels and derived metrics', () => {
    const history = new SeriesHistory(10);
    appendTick(history, makeTick(0, { derived: { afrDelta: 0.02 } }));

    expect(valuesOf(history, 'rpm')).toEqual([850]);
    expect(valuesOf(history, derivedKey('afrDelta'))).toEqual([0.02]);
    expect(history.column(derivedKey('boostGradient'))).toBeUndefined();
  });

  test('stores a stale channel as NaN', () => {
    const history = new SeriesHistory(10);
    appendTick(history, makeTick(0, { channels: { iatC: reading(30) } }));
    appendTick(history, makeTick(1, { channels: { iatC: staleReading() } }));

    expect(valuesOf(history, 'iatC')).toEqual([30, Number.NaN]);
  });

  test('breaks the line after a long gap', () => {
    const history = new SeriesHistory(10);
    appendTick(history, makeTick(0));
    appendTick(history, makeTick(100));

    expect(timesOf(history)).toEqual([0, 1 / TICK_HZ, 100 / TICK_HZ]);
    expect(valuesOf(history, 'rpm')).toEqual([850, Number.NaN, 850]);
  });

  test('joins a few dropped ticks', () => {
    const history = new SeriesHistory(10);
    const droppedTicks = Math.floor(MAX_JOINED_GAP_S * TICK_HZ) - 1;
    appendTick(history, makeTick(0));
    appendTick(history, makeTick(droppedTicks + 1));

    expect(valuesOf(history, 'rpm')).toEqual([850, 850]);
  });

  test('clears the history when time goes back', () => {
    const history = new SeriesHistory(10);
    appendTick(history, makeTick(5));
    appendTick(history, makeTick(6));
    appendTick(history, makeTick(2));

    expect(timesOf(history)).toEqual([2 / TICK_HZ]);
  });
});
