import { describe, expect, test } from 'bun:test';
import { EngineModel, SCENARIOS, simulateDrive } from '../../server/engine/index.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { column, max, mean, min, quantile, stepsWhere, valuesAt, wotSteps } from './drive-stats.ts';

const stockTwin = bundledProfile('stock-twin')!;
const bigSingle = bundledProfile('big-single')!;

describe('cooling', () => {
  const cruise = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'cruise', durationS: 1200, stepS: 0.1 });
  const coolant = column(cruise, 'coolantC');

  test('warm-up reaches the thermostat band', () => {
    expect(coolant[0]).toBeLessThan(25);
    const reachedAt = coolant.findIndex((c) => c >= 80);
    expect(reachedAt).toBeGreaterThan(0);
    expect(cruise.timeS[reachedAt]).toBeLessThan(900);
  });

  test('thermostat holds the band at cruise', () => {
    const settled = stepsWhere(cruise, (i) => cruise.timeS[i] > 1000);
    const values = valuesAt(cruise, 'coolantC', settled);
    expect(min(values)).toBeGreaterThan(80);
    expect(max(values)).toBeLessThan(92);
  });

  test('fan cycles with the profile hysteresis at idle', () => {
    const model = new EngineModel({ seed: 5, profile: stockTwin, scenario: SCENARIOS.idle });
    const { fanOnC, fanOffC } = stockTwin.cooling;
    let switchOns = 0;
    let switchOffs = 0;
    let wasOn = false;
    for (let i = 0; i < 3600 / 0.05; i++) {
      model.step(0.05);
      const { isFanOn, coolantC } = model.state;
      if (isFanOn && !wasOn) {
        switchOns += 1;
        expect(coolantC).toBeGreaterThanOrEqual(fanOnC);
      }
      if (!isFanOn && wasOn) {
        switchOffs += 1;
        expect(coolantC).toBeLessThanOrEqual(fanOffC);
      }
      wasOn = isFanOn;
    }
    expect(switchOns).toBeGreaterThanOrEqual(2);
    expect(switchOffs).toBeGreaterThanOrEqual(2);
  });

  test('coolant and intake air soak after pulls at idle', () => {
    const soak = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'heat-soak', durationS: 900 });
    const speed = column(soak, 'speedKmh');
    const coolantSoak = column(soak, 'coolantC');
    const iat = column(soak, 'iatC');
    const stopped = stepsWhere(soak, (i) => soak.timeS[i] > 280 && speed[i] < 1);
    const idleStart = stopped[0];
    const lastPull = wotSteps(soak, 0, 9000).at(-1)!;

    const firstMinute = Array.from(coolantSoak.subarray(idleStart, idleStart + 60 / 0.02));
    expect(max(firstMinute)).toBeGreaterThan(coolantSoak[lastPull] + 3);
    expect(iat[idleStart + 300 / 0.02]).toBeGreaterThan(iat[idleStart] + 3);
  });
});

describe('boost', () => {
  const pulls = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'pulls', durationS: 420 });

  test('stock twins show the single-turbo phase, handover dip and twin level', () => {
    const single = mean(valuesAt(pulls, 'boostKpa', wotSteps(pulls, 3200, 3500)));
    const handover = min(valuesAt(pulls, 'boostKpa', wotSteps(pulls, 3550, 3950)));
    const twin = mean(valuesAt(pulls, 'boostKpa', wotSteps(pulls, 5000, 6300)));
    expect(single).toBeGreaterThan(55);
    expect(single).toBeLessThan(75);
    expect(handover).toBeLessThan(single - 5);
    expect(twin).toBeGreaterThan(74);
    expect(twin).toBeLessThan(86);
  });

  test('big single reaches its target late', () => {
    const drive = simulateDrive({ seed: 5, profile: bigSingle, scenario: 'pulls', durationS: 420 });
    const early = mean(valuesAt(drive, 'boostKpa', wotSteps(drive, 2500, 3000)));
    const top = mean(valuesAt(drive, 'boostKpa', wotSteps(drive, 5500, 6300)));
    expect(early).toBeLessThan(30);
    expect(top).toBeGreaterThan(135);
    expect(top).toBeLessThan(165);
  });

  test('lambda follows the target', () => {
    const rpm = column(pulls, 'rpm');
    const lambda = column(pulls, 'lambda');
    const target = column(pulls, 'lambdaTarget');
    const running = stepsWhere(pulls, (i) => rpm[i] > 600);
    const errors = running.map((i) => Math.abs(lambda[i] - target[i]));
    expect(quantile(errors, 0.95)).toBeLessThan(0.03);
    const wot = wotSteps(pulls, 4000, 6300);
    expect(max(valuesAt(pulls, 'lambda', wot))).toBeLessThan(0.86);
  });
});

describe('oil pressure', () => {
  test('meets the FSM figures when hot', () => {
    const idle = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'heat-soak', durationS: 900 });
    const oilTemp = column(idle, 'oilTempC');
    const speed = column(idle, 'speedKmh');
    const hotIdle = stepsWhere(idle, (i) => speed[i] < 1 && oilTemp[i] > 80 && idle.timeS[i] > 400);
    expect(min(valuesAt(idle, 'oilPressureKpa', hotIdle))).toBeGreaterThanOrEqual(49);

    const pulls = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'pulls', durationS: 420 });
    const rpm = column(pulls, 'rpm');
    const pullOilTemp = column(pulls, 'oilTempC');
    const at4000 = stepsWhere(pulls, (i) => Math.abs(rpm[i] - 4000) < 100 && pullOilTemp[i] > 80);
    const pressures = valuesAt(pulls, 'oilPressureKpa', at4000);
    expect(min(pressures)).toBeGreaterThanOrEqual(324);
    expect(max(pressures)).toBeLessThanOrEqual(579);
  });

  test('reads higher with cold oil', () => {
    const cold = simulateDrive({ seed: 5, profile: stockTwin, scenario: 'idle', durationS: 1500, stepS: 0.1 });
    const oil = column(cold, 'oilPressureKpa');
    expect(mean(Array.from(oil.subarray(100, 300)))).toBeGreaterThan(
      mean(Array.from(oil.subarray(oil.length - 200))) + 50,
    );
  });
});
