import { describe, expect, test } from 'bun:test';
import type { ChannelLimits } from '../../server/domain/profile-types.ts';
import type { ChannelId } from '../../server/domain/channels.ts';
import { LimitEvaluator } from '../../server/pipeline/limits.ts';
import type { LimitState } from '../../server/protocol.ts';
import { frameOf } from './frames.ts';

const TICK_S = 1 / 23.6;

function evaluatorFor(channel: ChannelId, limits: ChannelLimits) {
  return new LimitEvaluator({ limits: { [channel]: limits } });
}

// Feeds one value per tick and returns the state of `channel` at each tick.
function run(
  evaluator: LimitEvaluator,
  channel: ChannelId,
  values: readonly number[],
  extra: Partial<Record<ChannelId, number>> = {},
): LimitState[] {
  return values.map(
    (value, i) =>
      evaluator.evaluate(frameOf({ ...extra, [channel]: value }), i * TICK_S)[channel],
  );
}

function countChanges(states: readonly LimitState[]): number {
  return states.filter((state, i) => i > 0 && state !== states[i - 1]).length;
}

describe('LimitEvaluator thresholds', () => {
  const limits: ChannelLimits = {
    loDanger: 60,
    loWarning: 70,
    hiWarning: 103,
    hiDanger: 110,
  };

  test('levels at and beyond each threshold', () => {
    const cases: [number, LimitState][] = [
      [50, 'danger'],
      [60, 'danger'],
      [65, 'warning'],
      [70, 'warning'],
      [85, 'ok'],
      [103, 'warning'],
      [109.9, 'warning'],
      [110, 'danger'],
    ];
    for (const [value, expected] of cases) {
      const evaluator = evaluatorFor('coolantC', limits);
      expect([value, run(evaluator, 'coolantC', [value])[0]]).toEqual([value, expected]);
    }
  });

  test('channels without limits are ok', () => {
    const evaluator = evaluatorFor('coolantC', limits);
    const states = evaluator.evaluate(frameOf({ coolantC: 120, rpm: 99999 }), 0);

    expect(states.rpm).toBe('ok');
    expect(states.coolantC).toBe('danger');
    expect(Object.keys(states).length).toBeGreaterThan(30);
  });

  test('absent or stale value is ok', () => {
    const evaluator = evaluatorFor('coolantC', limits);

    expect(run(evaluator, 'coolantC', [120, Number.NaN, 120])).toEqual([
      'danger',
      'ok',
      'danger',
    ]);
  });
});

describe('LimitEvaluator hysteresis', () => {
  test('value must clear the band to leave', () => {
    const evaluator = evaluatorFor('coolantC', { hiWarning: 103, hysteresis: 2 });
    const values = [102, 103, 102, 101.5, 101.01, 101, 100.9, 102.5, 103];

    expect(run(evaluator, 'coolantC', values)).toEqual([
      'ok',
      'warning',
      'warning',
      'warning',
      'warning',
      'warning',
      'ok',
      'ok',
      'warning',
    ]);
  });

  test('low limits leave upwards by the band', () => {
    const evaluator = evaluatorFor('oilPressureKpa', {
      loWarning: 100,
      hysteresis: 10,
    });

    expect(run(evaluator, 'oilPressureKpa', [99, 105, 110, 110.5])).toEqual([
      'warning',
      'warning',
      'warning',
      'ok',
    ]);
  });

  test('danger drops to warning inside the warning zone', () => {
    const evaluator = evaluatorFor('coolantC', {
      hiWarning: 100,
      hiDanger: 110,
      hysteresis: 2,
    });

    expect(run(evaluator, 'coolantC', [111, 109, 107, 97])).toEqual([
      'danger',
      'danger',
      'warning',
      'ok',
    ]);
  });

  test('hovering at a threshold does not flicker', () => {
    const evaluator = evaluatorFor('boostKpa', { hiWarning: 85, hysteresis: 3 });
    // 85 +- 1.5 kPa never falls below the 82 kPa leave threshold.
    const hovering = Array.from({ length: 200 }, (_, i) => 85 + 1.5 * Math.sin(i));
    const states = run(evaluator, 'boostKpa', [80, ...hovering]);
    expect(states[0]).toBe('ok');
    expect(countChanges(states)).toBe(1);
    expect(states[states.length - 1]).toBe('warning');
  });

  test('without hysteresis the same input flickers', () => {
    const evaluator = evaluatorFor('boostKpa', { hiWarning: 85 });
    const hovering = Array.from({ length: 200 }, (_, i) => 85 + 1.5 * Math.sin(i));
    const states = run(evaluator, 'boostKpa', hovering);
    expect(countChanges(states)).toBeGreaterThan(50);
  });
});

describe('LimitEvaluator debounce', () => {
  const limits: ChannelLimits = {
    hiWarning: 100,
    hiDanger: 110,
    debounceS: 0.2,
  };

  test('short spike is ignored', () => {
    const evaluator = evaluatorFor('coolantC', limits);
    // Four ticks are 0.127 s of violation, under the 0.2 s debounce.
    const values = [90, 120, 120, 120, 120, 90, 90, 90];

    expect(run(evaluator, 'coolantC', values).every((s) => s === 'ok')).toBe(true);
  });

  test('sustained violation changes after the debounce', () => {
    const evaluator = evaluatorFor('coolantC', limits);
    const states = run(evaluator, 'coolantC', [90, ...Array(10).fill(105)]);
    const firstWarning = states.indexOf('warning');

    // The run starts at tick 1; 0.2 s is 4.72 ticks, so tick 6 is first.
    expect(firstWarning).toBe(6);
    expect(states.slice(firstWarning).every((s) => s === 'warning')).toBe(true);
  });

  test('ramp through warning reaches danger on its own run', () => {
    const evaluator = evaluatorFor('coolantC', limits);
    const values = [90, 105, 105, 105, 105, 105, 105, ...Array(8).fill(115)];
    const states = run(evaluator, 'coolantC', values);

    expect(states[6]).toBe('warning');
    expect(states.indexOf('danger')).toBe(12);
  });

  test('recovery also waits for the debounce', () => {
    const evaluator = evaluatorFor('coolantC', limits);
    const values = [...Array(8).fill(105), 90, 90, 90, 90, 90, 90];
    const states = run(evaluator, 'coolantC', values);

    expect(states[7]).toBe('warning');
    expect(states[12]).toBe('warning');
    expect(states[13]).toBe('ok');
  });

  test('tick time going back restarts from ok', () => {
    const evaluator = evaluatorFor('coolantC', { hiWarning: 100 });
    const frame = frameOf({ coolantC: 105 });

    expect(evaluator.evaluate(frame, 10).coolantC).toBe('warning');
    expect(evaluator.evaluate(frame, 5).coolantC).toBe('ok');
    expect(evaluator.evaluate(frame, 5.1).coolantC).toBe('warning');
  });
});

describe('LimitEvaluator rpm rules', () => {
  const oilLimits: ChannelLimits = {
    loWarningByRpm: { rpm: [700, 4000], value: [49, 324] },
    loDangerByRpm: { rpm: [700, 4000], value: [35, 250] },
    minRpm: 500,
  };

  test('low curve follows rpm', () => {
    const evaluator = evaluatorFor('oilPressureKpa', oilLimits);
    const at = (rpm: number, kpa: number) =>
      evaluator.evaluate(frameOf({ rpm, oilPressureKpa: kpa }), 0).oilPressureKpa;

    expect(at(800, 100)).toBe('ok');
    // At 2,350 rpm the warning curve is 186.5 kPa and danger 142.5 kPa.
    expect(at(2350, 187)).toBe('ok');
    expect(at(2350, 186)).toBe('warning');
    expect(at(2350, 142)).toBe('danger');
    // Beyond the last point the curve keeps its end value.
    expect(at(7000, 300)).toBe('warning');
  });

  test('below minRpm is ok', () => {
    const evaluator = evaluatorFor('oilPressureKpa', oilLimits);

    expect(run(evaluator, 'oilPressureKpa', [0], { rpm: 200 })).toEqual(['ok']);
    expect(run(evaluator, 'oilPressureKpa', [0], { rpm: 500 })).toEqual(['danger']);
  });

  test('absent rpm with minRpm is ok', () => {
    const evaluator = evaluatorFor('oilPressureKpa', { ...oilLimits, loDanger: 20 });

    expect(run(evaluator, 'oilPressureKpa', [0])).toEqual(['ok']);
  });

  test('absent rpm falls back to the fixed low limit', () => {
    const evaluator = evaluatorFor('oilPressureKpa', {
      loWarning: 40,
      loWarningByRpm: { rpm: [700, 4000], value: [49, 324] },
    });

    expect(run(evaluator, 'oilPressureKpa', [45])).toEqual(['ok']);
    expect(run(evaluator, 'oilPressureKpa', [45], { rpm: 700 })).toEqual(['warning']);
  });

  test('stricter of fixed and curve low limits applies', () => {
    const evaluator = evaluatorFor('oilPressureKpa', {
      loWarning: 100,
      loWarningByRpm: { rpm: [700, 4000], value: [49, 324] },
    });

    expect(run(evaluator, 'oilPressureKpa', [90], { rpm: 700 })).toEqual(['warning']);
    expect(run(evaluator, 'oilPressureKpa', [300], { rpm: 4000 })).toEqual(['warning']);
  });
});
