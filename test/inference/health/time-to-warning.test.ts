/**
 * Time until a rising temperature reaches its warning limit: given for a
 * warm engine heating steadily, not for a normal warm-up, not from a few
 * seconds of whole-degree steps, and not beyond the 15-minute horizon.
 */
import { expect, test } from 'bun:test';
import { assessHealth } from '../../../server/inference/health/assess.ts';
import type { EngineBaseline } from '../../../server/inference/health/baseline.ts';
import { HealthMonitor } from '../../../server/inference/health/monitor.ts';
import { emptySnapshot } from '../../../server/inference/health/snapshot.ts';
import { bundledProfile } from '../../../server/profiles/index.ts';
import { fitBaseline } from '../../../server/training/baseline-fit.ts';

const profile = bundledProfile('stock-twin')!;
const TICK_S = 1 / 23.6;
const baseline: EngineBaseline = fitBaseline([], profile, 'no drives');

/** Feeds a coolant ramp from `fromC` at `ratePerS` for `seconds`; returns the assessment. */
function rampCoolant(fromC: number, ratePerS: number, seconds: number) {
  const monitor = new HealthMonitor(profile, baseline, {});
  let timeS = 0;
  for (; timeS < seconds; timeS += TICK_S) {
    const coolantC = Math.round((fromC + ratePerS * timeS) * 10) / 10;
    monitor.update({ ...emptySnapshot(), rpm: 2500, coolantC }, timeS);
  }
  return assessHealth(monitor, timeS, null);
}

test('warm engine heating gives a time', () => {
  const limit = profile.limits.coolantC!.hiWarning!;
  const assessment = rampCoolant(92, 0.05, 60);
  const expectedS = (limit - 95) / 0.05;
  expect(expectedS).toBeLessThan(900);
  expect(assessment.timeToWarningS.coolantC).toBeGreaterThan(expectedS * 0.7);
  expect(assessment.timeToWarningS.coolantC).toBeLessThan(expectedS * 1.3);
});

test('warm-up rise gives no time', () => {
  const assessment = rampCoolant(40, 0.3, 60);
  expect(assessment.timeToWarningS.coolantC).toBeUndefined();
});

test('short trend gives no time', () => {
  const assessment = rampCoolant(95, 0.2, 15);
  expect(assessment.timeToWarningS.coolantC).toBeUndefined();
});

test('far-off warning gives no time', () => {
  const limit = profile.limits.coolantC!.hiWarning!;
  const ratePerS = 0.012;
  const assessment = rampCoolant(90, ratePerS, 60);
  expect((limit - 90.7) / ratePerS).toBeGreaterThan(900);
  expect(assessment.timeToWarningS.coolantC).toBeUndefined();
});
