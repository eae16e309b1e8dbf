import { describe, expect, test } from 'bun:test';
import {
  FAULTS,
  FAULT_KINDS,
  simulateDrive,
  SimulationConfigError,
  type DriveResult,
  type FaultKind,
} from '../../server/engine/index.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { column, max, mean, stepsWhere, valuesAt, wotSteps } from './drive-stats.ts';

const profile = bundledProfile('stock-twin')!;
const SEED = 11;
const ONSET_S = 100;

const cache = new Map<string, DriveResult>();

/** Runs (once) a drive on the stock twins with one fault, or healthy when `kind` is null. */
function drive(scenario: string, durationS: number, kind: FaultKind | null, severity = 1): DriveResult {
  const key = `${scenario}/${durationS}/${kind}/${severity}`;
  let result = cache.get(key);
  if (result === undefined) {
    const faults = kind === null ? [] : [{ kind, onsetS: ONSET_S, severity }];
    // Slow thermal drives need no 50 Hz steps; 10 Hz keeps the tests quick.
    const stepS = scenario === 'pulls' ? 0.02 : 0.1;
    result = simulateDrive({ seed: SEED, profile, scenario, durationS, faults, stepS });
    cache.set(key, result);
  }
  return result;
}

const pulls = (kind: FaultKind | null, severity = 1) => drive('pulls', 420, kind, severity);
const wotBoost = (result: DriveResult, lo: number, hi: number) =>
  mean(valuesAt(result, 'boostKpa', wotSteps(result, lo, hi)));

describe('fault registry', () => {
  test('each kind is defined once', () => {
    expect(new Set(FAULT_KINDS).size).toBe(FAULTS.length);
    expect(FAULT_KINDS.length).toBe(10);
  });

  test('each fault names a subsystem and precursors', () => {
    const subsystems = ['airBoost', 'fuel', 'cooling', 'lubrication', 'ignitionKnock', 'sensors'];
    for (const fault of FAULTS) {
      expect(subsystems).toContain(fault.subsystem);
      expect(fault.precursors.length).toBeGreaterThan(20);
    }
  });

  test('labels switch at the onset', () => {
    const result = pulls('boost-leak');
    const before = result.faultActive.filter((_, i) => result.timeS[i] < ONSET_S);
    const after = result.faultActive.filter((_, i) => result.timeS[i] >= ONSET_S);
    expect(new Set(before)).toEqual(new Set(['healthy']));
    expect(new Set(after)).toEqual(new Set(['boost-leak']));
    expect(result.faultCode[result.faultCode.length - 1]).toBe(1);
  });

  test('twin fault on a single turbo is rejected', () => {
    const run = () =>
      simulateDrive({
        seed: 1,
        profile: bundledProfile('big-single')!,
        scenario: 'pulls',
        durationS: 10,
        faults: [{ kind: 'twin-transition-failure', onsetS: 0, severity: 1 }],
      });
    expect(run).toThrow(SimulationConfigError);
    expect(run).toThrow(/sequential twin/);
  });

  test('invalid severity and scenario are rejected', () => {
    const base = { seed: 1, profile, scenario: 'pulls', durationS: 10 };
    expect(() => simulateDrive({ ...base, faults: [{ kind: 'knock', onsetS: 0, severity: 2 }] })).toThrow(
      /severity 2/,
    );
    expect(() => simulateDrive({ ...base, scenario: 'autobahn' })).toThrow(/autobahn/);
    expect(() => simulateDrive({ ...base, durationS: -1 })).toThrow(/duration -1/);
  });
});

describe('fault precursors in the model', () => {
  test('boost leak lowers boost at the same rpm', () => {
    expect(wotBoost(pulls('boost-leak', 0.6), 4500, 6000)).toBeLessThan(wotBoost(pulls(null), 4500, 6000) - 15);
    const duty = valuesAt(pulls('boost-leak', 0.6), 'wastegateDutyPct', wotSteps(pulls('boost-leak', 0.6), 4500, 6000));
    const healthyDuty = valuesAt(pulls(null), 'wastegateDutyPct', wotSteps(pulls(null), 4500, 6000));
    expect(mean(duty)).toBeGreaterThan(mean(healthyDuty) + 5);
  });

  test('failed transition plateaus at single-turbo boost', () => {
    const failed = pulls('twin-transition-failure');
    expect(wotBoost(failed, 5000, 6300)).toBeLessThan(65);
    expect(wotBoost(failed, 5000, 6300)).toBeLessThan(wotBoost(failed, 3200, 3500));
    expect(wotBoost(pulls(null), 5000, 6300)).toBeGreaterThan(74);
  });

  test('overboost creeps with rpm', () => {
    const creeping = pulls('overboost', 0.5);
    const excessLow = wotBoost(creeping, 3500, 4500) - wotBoost(pulls(null), 3500, 4500);
    const excessHigh = wotBoost(creeping, 5500, 6300) - wotBoost(pulls(null), 5500, 6300);
    expect(excessHigh).toBeGreaterThan(10);
    expect(excessHigh).toBeGreaterThan(excessLow + 5);
  });

  test('full overboost triggers the ECU fuel cut', () => {
    const cut = pulls('overboost', 1);
    expect(max(valuesAt(cut, 'mapKpa', wotSteps(cut, 3000, 6500)))).toBeGreaterThanOrEqual(200);
    expect(max(valuesAt(cut, 'lambda', wotSteps(cut, 4000, 6500)))).toBeGreaterThan(1.3);
  });

  test('lean under boost only at high load', () => {
    const lean = pulls('lean-under-boost', 0.8);
    const wot = wotSteps(lean, 4500, 6300);
    const lambda = valuesAt(lean, 'lambda', wot);
    const target = valuesAt(lean, 'lambdaTarget', wot);
    expect(mean(lambda) - mean(target)).toBeGreaterThan(0.05);

    const rail = valuesAt(lean, 'fuelPressureKpa', wot);
    const boost = valuesAt(lean, 'boostKpa', wot);
    const shortfall = mean(boost) + profile.fuel.basePressureKpa - mean(rail);
    expect(shortfall).toBeGreaterThan(20);

    const speed = column(lean, 'speedKmh');
    const throttle = column(lean, 'throttlePct');
    const cruise = stepsWhere(lean, (i) => lean.timeS[i] > ONSET_S && speed[i] > 50 && throttle[i] < 20);
    const cruiseError = mean(valuesAt(lean, 'lambda', cruise)) - mean(valuesAt(lean, 'lambdaTarget', cruise));
    expect(Math.abs(cruiseError)).toBeLessThan(0.02);
  });

  test('thermostat stuck closed overshoots', () => {
    const healthyMax = max(Array.from(column(pulls(null), 'coolantC')));
    const stuckMax = max(Array.from(column(pulls('thermostat-stuck-closed'), 'coolantC')));
    expect(stuckMax).toBeGreaterThan(healthyMax + 10);
    expect(stuckMax).toBeGreaterThan(profile.cooling.fanOnC);
  });

  test('thermostat stuck open runs cold at cruise', () => {
    const healthy = column(drive('cruise', 1200, null), 'coolantC');
    const stuck = column(drive('cruise', 1200, 'thermostat-stuck-open'), 'coolantC');
    expect(stuck[stuck.length - 1]).toBeLessThan(healthy[healthy.length - 1] - 10);
  });

  test('fan failure overheats at idle', () => {
    const healthy = column(drive('idle', 3000, null), 'coolantC');
    const failed = column(drive('idle', 3000, 'fan-failure'), 'coolantC');
    expect(max(Array.from(healthy))).toBeLessThan(profile.cooling.fanOnC + 1);
    expect(max(Array.from(failed))).toBeGreaterThan(profile.cooling.fanOnC + 5);
  });

  test('head gasket leak spikes coolant pressure under boost', () => {
    const leak = pulls('head-gasket-leak');
    const boosted = wotSteps(leak, 3000, 6500).filter((i) => leak.timeS[i] > ONSET_S + 60);
    const healthyPressure = max(valuesAt(pulls(null), 'coolantPressureKpa', wotSteps(pulls(null), 3000, 6500)));
    expect(max(valuesAt(leak, 'coolantPressureKpa', boosted))).toBeGreaterThan(healthyPressure + 30);
  });

  test('oil pressure loss lowers pressure at every rpm', () => {
    for (const [lo, hi] of [[1300, 2000], [2000, 3000], [4000, 6000]]) {
      const select = (r: DriveResult) => {
        const rpm = column(r, 'rpm');
        return stepsWhere(r, (i) => r.timeS[i] > ONSET_S + 30 && rpm[i] >= lo && rpm[i] < hi);
      };
      const lossy = pulls('oil-pressure-loss', 0.6);
      const healthy = pulls(null);
      const ratio = mean(valuesAt(lossy, 'oilPressureKpa', select(lossy))) /
        mean(valuesAt(healthy, 'oilPressureKpa', select(healthy)));
      expect(ratio).toBeLessThan(0.8);
    }
  });

  test('knock brings retard and knock level', () => {
    const knocking = pulls('knock', 0.7);
    const boosted = wotSteps(knocking, 3000, 5900);
    expect(max(valuesAt(knocking, 'knockRetardDeg', boosted))).toBeGreaterThanOrEqual(3);
    expect(max(valuesAt(pulls(null), 'knockRetardDeg', wotSteps(pulls(null), 3000, 5900)))).toBeLessThan(1.6);
    expect(max(valuesAt(knocking, 'knockLevel', boosted))).toBeGreaterThan(40);
  });
});

describe('determinism', () => {
  test('same seed gives identical arrays', () => {
    const options = {
      seed: 42,
      profile,
      scenario: 'street',
      durationS: 300,
      faults: [{ kind: 'knock' as const, onsetS: 50, severity: 0.5 }],
    };
    const a = simulateDrive(options);
    const b = simulateDrive(options);
    expect(a.timeS).toEqual(b.timeS);
    for (const id of Object.keys(a.channels) as (keyof typeof a.channels)[]) {
      expect(a.channels[id]).toEqual(b.channels[id]);
    }
    expect(a.faultActive).toEqual(b.faultActive);
  });

  test('sensor sampling holds slow channels', () => {
    const options = { seed: 3, profile, scenario: 'street', durationS: 10 };
    const held = simulateDrive({ ...options, sampling: 'sensor' });
    const fresh = simulateDrive(options);
    const distinct = (values: Float64Array) => new Set(values).size;
    expect(distinct(held.channels.coolantC!)).toBeLessThanOrEqual(10 * 10 + 1);
    expect(distinct(fresh.channels.coolantC!)).toBeGreaterThan(400);
    expect(distinct(held.channels.rpm!)).toBeGreaterThan(400);
  });

  test('another seed gives other noise', () => {
    const a = simulateDrive({ seed: 1, profile, scenario: 'street', durationS: 20 });
    const b = simulateDrive({ seed: 2, profile, scenario: 'street', durationS: 20 });
    expect(a.channels.rpm).not.toEqual(b.channels.rpm);
  });
});
