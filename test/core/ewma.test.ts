import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore } from '../../server/core/dsp.ts';
import { loadTestCore } from './load-core.ts';

describe('ewma', () => {
  const TAU_S = 2;
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore({ ewmaTimeConstantS: { egtC: TAU_S } });
  });

  // A first-order lag y' = (x - y) / tau with y(0) = 0 and a unit step at
  // t = 0 gives y(t) = 1 - exp(-t / tau), whatever the sample spacing.
  test('step response matches closed form at irregular times', () => {
    core.reset();
    core.push([{ channel: 'egtC', timeS: 0, value: 0 }]);
    const times = [0.013, 0.4, 0.41, 1.9, 2.0, 3.7, 6.25, 11];

    for (const timeS of times) {
      core.push([{ channel: 'egtC', timeS, value: 1 }]);
      expect(core.ewma('egtC')!).toBeCloseTo(1 - Math.exp(-timeS / TAU_S), 12);
    }
  });

  test('first sample sets the value', () => {
    core.reset();
    expect(core.ewma('egtC')).toBeNull();

    core.push([{ channel: 'egtC', timeS: 5, value: 640 }]);
    expect(core.ewma('egtC')).toBe(640);
  });

  test('sample at the same time does not move it', () => {
    core.reset();
    core.push([
      { channel: 'egtC', timeS: 1, value: 500 },
      { channel: 'egtC', timeS: 1, value: 900 },
    ]);

    expect(core.ewma('egtC')).toBe(500);
  });

  test('default time constant is one second', () => {
    core.reset();
    core.push([
      { channel: 'iatC', timeS: 0, value: 20 },
      { channel: 'iatC', timeS: 1, value: 30 },
    ]);

    expect(core.ewma('iatC')!).toBeCloseTo(30 - 10 * Math.exp(-1), 12);
  });

  test('dropped sample leaves it unchanged', () => {
    core.reset();
    core.push([
      { channel: 'egtC', timeS: 4, value: 700 },
      { channel: 'egtC', timeS: 3, value: 100 },
    ]);

    expect(core.ewma('egtC')).toBe(700);
  });
});
