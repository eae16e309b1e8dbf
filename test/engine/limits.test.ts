import { describe, expect, test } from 'bun:test';
import type { ChannelId } from '../../server/domain/channels.ts';
import { lookupCurve } from '../../server/domain/interpolate.ts';
import type { ChannelLimits } from '../../server/domain/profile-types.ts';
import { SCENARIO_IDS, simulateDrive } from '../../server/engine/index.ts';
import { bundledProfile } from '../../server/profiles/index.ts';

/** Counts the steps where `values` passes a warning threshold of `limits`. */
function warningSteps(limits: ChannelLimits, values: Float64Array, rpm: Float64Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (limits.minRpm !== undefined && rpm[i] < limits.minRpm) continue;
    const low = limits.loWarningByRpm ? lookupCurve(limits.loWarningByRpm, rpm[i]) : limits.loWarning;
    const isHigh = limits.hiWarning !== undefined && values[i] > limits.hiWarning;
    const isLow = low !== undefined && values[i] < low;
    if (isHigh || isLow) count += 1;
  }
  return count;
}

// The simulator is the default source, so a healthy drive must not raise
// warnings on the dashboard.
describe('healthy drives stay inside the profile warnings', () => {
  for (const profileId of ['stock-twin', 'big-single']) {
    const profile = bundledProfile(profileId)!;
    for (const scenario of SCENARIO_IDS) {
      test(`${profileId} ${scenario}`, () => {
        const drive = simulateDrive({ seed: 4, profile, scenario, durationS: 1200, stepS: 0.05 });
        const rpm = drive.channels.rpm!;
        for (const [id, limits] of Object.entries(profile.limits)) {
          const values = drive.channels[id as ChannelId];
          if (values === undefined) continue;
          expect({ id, steps: warningSteps(limits!, values, rpm) }).toEqual({ id, steps: 0 });
        }
      });
    }
  }
});

describe('faults cross the profile warnings', () => {
  const profile = bundledProfile('stock-twin')!;
  const cases: [string, ChannelId, string][] = [
    ['thermostat-stuck-closed', 'coolantC', 'pulls'],
    ['oil-pressure-loss', 'oilPressureKpa', 'pulls'],
    ['lean-under-boost', 'lambda', 'pulls'],
    ['fan-failure', 'coolantC', 'heat-soak'],
    ['head-gasket-leak', 'coolantPressureKpa', 'pulls'],
  ];
  for (const [kind, channel, scenario] of cases) {
    test(`${kind} warns on ${channel}`, () => {
      const faults = [{ kind: kind as 'knock', onsetS: 60, severity: 1 }];
      const drive = simulateDrive({ seed: 4, profile, scenario, durationS: 2400, stepS: 0.05, faults });
      const steps = warningSteps(profile.limits[channel]!, drive.channels[channel]!, drive.channels.rpm!);
      expect(steps).toBeGreaterThan(0);
    });
  }
});
