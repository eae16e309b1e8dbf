import { describe, expect, test } from 'bun:test';
import type { Sample } from '../../../server/domain/sample.ts';
import { BoostFromMap } from '../../../server/sources/obd/boost.ts';

const boostOf = (samples: Sample[]) =>
  samples.filter((sample) => sample.channel === 'boostKpa').map((sample) => sample.value);

describe('boost from manifold pressure', () => {
  test('uses the standard atmosphere until the car reports barometric pressure', () => {
    const boost = new BoostFromMap();

    const samples = boost.withBoost([{ channel: 'mapKpa', value: 200, timeS: 1 }]);

    expect(boostOf(samples)[0]).toBeCloseTo(98.675, 6);
    expect(samples.at(-1)?.timeS).toBe(1);
  });

  test('uses the latest barometric pressure, also from the same batch', () => {
    const boost = new BoostFromMap();

    const first = boost.withBoost([
      { channel: 'mapKpa', value: 150, timeS: 1 },
      { channel: 'baroKpa', value: 90, timeS: 1 },
    ]);
    const later = boost.withBoost([{ channel: 'mapKpa', value: 80, timeS: 2 }]);

    expect(boostOf(first)).toEqual([60]);
    expect(boostOf(later)).toEqual([-10]);
  });

  test('adds nothing to a batch without manifold pressure', () => {
    const boost = new BoostFromMap();
    const batch: Sample[] = [{ channel: 'rpm', value: 900, timeS: 1 }];

    expect(boost.withBoost(batch)).toEqual(batch);
  });
});
