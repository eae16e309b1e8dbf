import { expect, test } from 'bun:test';
import { bundledProfile } from '../../../server/profiles/index.ts';
import type { EngineBaseline } from '../../../server/inference/health/baseline.ts';
import { HealthMonitor } from '../../../server/inference/health/monitor.ts';
import { MADE_BOOST_KPA } from '../../../server/inference/health/residual-specs.ts';
import { emptySnapshot, type ChannelSnapshot } from '../../../server/inference/health/snapshot.ts';
import { fitBaseline } from '../../../server/training/baseline-fit.ts';
import { simulatedFrames } from '../../../server/training/frames.ts';

const profile = bundledProfile('stock-twin')!;
const TICK_S = 1 / 23.6;

/** A baseline fitted on no drives: no curves, so the residuals fall back to the profile. */
const emptyBaseline: EngineBaseline = fitBaseline([], profile, 'no drives');

function snapshotOf(values: Partial<ChannelSnapshot>): ChannelSnapshot {
  return { ...emptySnapshot(), ...values };
}

/** Feeds `seconds` of the same readings; returns the time after the last tick. */
function hold(monitor: HealthMonitor, values: Partial<ChannelSnapshot>, startS: number, seconds: number): number {
  let timeS = startS;
  for (; timeS < startS + seconds; timeS += TICK_S) monitor.update(snapshotOf(values), timeS);
  return timeS;
}

test('boost unjudged before any boost', () => {
  const monitor = new HealthMonitor(profile, emptyBaseline, {});
  const pull = { rpm: 5000, throttlePct: 100, mapKpa: 98, baroKpa: 100, coolantC: 88 };

  hold(monitor, pull, 0, 30);

  expect(monitor.residual('boost').isEnabled).toBe(false);
  expect(monitor.residual('boost').sides.get('low')!.isAlarm).toBe(false);
});

test('boost leak judged after boost', () => {
  const monitor = new HealthMonitor(profile, emptyBaseline, {});
  const spooled = { rpm: 5000, throttlePct: 100, mapKpa: 100 + MADE_BOOST_KPA + 50, baroKpa: 100, coolantC: 88 };
  const leaking = { ...spooled, mapKpa: 100 };

  const timeS = hold(monitor, spooled, 0, 3);
  hold(monitor, leaking, timeS, 30);

  expect(monitor.residual('boost').isEnabled).toBe(true);
  expect(monitor.residual('boost').sides.get('low')!.isAlarm).toBe(true);
});

test('coolant drop after warm-up alarms', () => {
  const baseline: EngineBaseline = { ...emptyBaseline, coolant: { ...emptyBaseline.coolant, warmMinC: 84 } };
  const monitor = new HealthMonitor(profile, baseline, {});
  const cruise = { rpm: 2500, throttlePct: 20 };

  const timeS = hold(monitor, { ...cruise, coolantC: 88 }, 0, 20);
  expect(monitor.residual('coolantCold').isEnabled).toBe(true);
  hold(monitor, { ...cruise, coolantC: 78 }, timeS, 20);

  expect(monitor.residual('coolantCold').sides.get('low')!.isAlarm).toBe(true);
});

test('cold engine unjudged during warm-up', () => {
  const monitor = new HealthMonitor(profile, emptyBaseline, {});

  hold(monitor, { rpm: 800, throttlePct: 0, coolantC: 40 }, 0, 60);

  expect(monitor.residual('coolantCold').isEnabled).toBe(false);
});

test('coolant pressure judged under boost', () => {
  const drive = simulatedFrames('pulls', { seed: 31, profile, scenario: 'pulls', durationS: 600 });
  const baseline = fitBaseline([drive], profile, 'test drive');
  const monitor = new HealthMonitor(profile, baseline, {});
  const point = { rpm: 4500, throttlePct: 100, baroKpa: 100, coolantC: 90 };
  const normalKpa = baseline.coolantPressure!.value.at(-1)!;

  let timeS = hold(monitor, { ...point, mapKpa: 90, coolantPressureKpa: normalKpa + 40 }, 0, 2);
  expect(monitor.residual('coolantPressureBoost').isEnabled).toBe(false);
  timeS = hold(monitor, { ...point, mapKpa: 170, coolantPressureKpa: normalKpa + 40 }, timeS, 2);

  expect(monitor.residual('coolantPressureBoost').isEnabled).toBe(true);
  expect(monitor.residual('coolantPressureBoost').sides.get('high')!.isAlarm).toBe(true);
});

test('baseline fit records warm minimum', () => {
  const drive = simulatedFrames('street', { seed: 32, profile, scenario: 'street', durationS: 900 });
  const baseline = fitBaseline([drive], profile, 'test drive');

  expect(baseline.coolant.warmMinC).toBeDefined();
  expect(baseline.coolant.warmMinC!).toBeLessThan(baseline.coolant.warmMaxC);
  expect(baseline.coolant.warmMinC!).toBeGreaterThan(profile.cooling.thermostatOpenC - 15);
});
