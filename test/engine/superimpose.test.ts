import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import type { ChannelId } from '../../server/domain/channels.ts';
import {
  FAULT_KINDS,
  simulateDrive,
  superimposeFaults,
  type ChannelLog,
  type DriveResult,
  type FaultKind,
} from '../../server/engine/index.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { parseLogFile } from '../../server/sources/replay/formats.ts';
import { buildRecording } from '../../server/sources/replay/recording.ts';
import { hasSharedData, sharedDataFile } from '../support/shared-data.ts';
import { column, max, mean, stepsWhere, valuesAt, wotSteps } from './drive-stats.ts';

const profile = bundledProfile('stock-twin')!;
const ONSET_S = 100;

// A healthy simulated drive replaces a recorded log that has every channel.
const healthy = simulateDrive({ seed: 21, profile, scenario: 'pulls', durationS: 420 });

function superimposed(kind: FaultKind, severity = 1): DriveResult {
  const log = superimposeFaults(healthy, [{ kind, onsetS: ONSET_S, severity }], profile, 5);
  return log as DriveResult;
}

const afterOnsetWot = (r: DriveResult, lo: number, hi: number) =>
  wotSteps(r, lo, hi).filter((i) => r.timeS[i] > ONSET_S + 30);

describe('superimposeFaults on a healthy drive', () => {
  test('every fault changes the log after its onset only', () => {
    for (const kind of FAULT_KINDS) {
      const faulty = superimposed(kind);
      let changedBefore = 0;
      let changedAfter = 0;
      for (const id of Object.keys(healthy.channels) as ChannelId[]) {
        const a = healthy.channels[id]!;
        const b = faulty.channels[id]!;
        for (let i = 0; i < a.length; i++) {
          if (a[i] === b[i]) continue;
          if (healthy.timeS[i] - healthy.timeS[0] < ONSET_S) changedBefore += 1;
          else changedAfter += 1;
        }
      }
      expect({ kind, changedBefore }).toEqual({ kind, changedBefore: 0 });
      expect(changedAfter).toBeGreaterThan(0);
    }
  });

  test('labels follow the onset', () => {
    const faulty = superimposed('knock');
    expect(faulty.faultActive[0]).toBe('healthy');
    expect(faulty.faultActive.at(-1)).toBe('knock');
  });

  test('boost leak lowers boost under load', () => {
    const faulty = superimposed('boost-leak', 0.6);
    const steps = afterOnsetWot(healthy, 4500, 6300);
    expect(mean(valuesAt(faulty, 'boostKpa', steps))).toBeLessThan(mean(valuesAt(healthy, 'boostKpa', steps)) - 15);
    expect(mean(valuesAt(faulty, 'mapKpa', steps))).toBeLessThan(mean(valuesAt(healthy, 'mapKpa', steps)) - 15);
  });

  test('failed transition caps boost above the handover', () => {
    const faulty = superimposed('twin-transition-failure');
    const steps = afterOnsetWot(healthy, 5000, 6300);
    expect(mean(valuesAt(faulty, 'boostKpa', steps))).toBeLessThan(65);
  });

  test('lean under boost raises lambda and drops rail pressure', () => {
    const faulty = superimposed('lean-under-boost', 0.8);
    const steps = afterOnsetWot(healthy, 4500, 6300);
    expect(mean(valuesAt(faulty, 'lambda', steps))).toBeGreaterThan(mean(valuesAt(healthy, 'lambda', steps)) + 0.05);
    expect(mean(valuesAt(faulty, 'fuelPressureKpa', steps))).toBeLessThan(
      mean(valuesAt(healthy, 'fuelPressureKpa', steps)) - 20,
    );
  });

  test('thermostat stuck closed heats the coolant', () => {
    const faulty = superimposed('thermostat-stuck-closed');
    expect(max(Array.from(column(faulty, 'coolantC')))).toBeGreaterThan(max(Array.from(column(healthy, 'coolantC'))) + 10);
  });

  test('oil pressure loss lowers oil pressure', () => {
    const faulty = superimposed('oil-pressure-loss', 0.6);
    const late = stepsWhere(healthy, (i) => healthy.timeS[i] > ONSET_S + 40);
    const ratio = mean(valuesAt(faulty, 'oilPressureKpa', late)) / mean(valuesAt(healthy, 'oilPressureKpa', late));
    expect(ratio).toBeLessThan(0.8);
  });

  test('head gasket leak spikes coolant pressure', () => {
    const faulty = superimposed('head-gasket-leak');
    const steps = afterOnsetWot(healthy, 3000, 6300);
    expect(max(valuesAt(faulty, 'coolantPressureKpa', steps))).toBeGreaterThan(
      max(valuesAt(healthy, 'coolantPressureKpa', steps)) + 30,
    );
  });

  test('knock adds retard under boost', () => {
    const faulty = superimposed('knock', 0.7);
    expect(max(valuesAt(faulty, 'knockRetardDeg', afterOnsetWot(healthy, 3000, 5900)))).toBeGreaterThanOrEqual(3);
  });

  test('same seed gives the same superimposition', () => {
    const a = superimposed('head-gasket-leak');
    const b = superimposed('head-gasket-leak');
    expect(a.channels.coolantPressureKpa).toEqual(b.channels.coolantPressureKpa);
  });

  test('mismatched column lengths are rejected', () => {
    const log: ChannelLog = { timeS: new Float64Array(3), channels: { rpm: new Float64Array(2) } };
    expect(() => superimposeFaults(log, [], profile, 1)).toThrow(/rpm has 2 values/);
  });
});

const HALTECH = 'logs/ecu/haltech-nsp-2025-07-18.csv';

/** Loads the real Haltech log as equal-length canonical columns on its record times. */
function loadHaltechLog(): ChannelLog {
  const path = sharedDataFile(HALTECH)!;
  const recording = buildRecording(parseLogFile(new Uint8Array(readFileSync(path)), 'haltech.csv'));
  const rpm = recording.channels.find((c) => c.id === 'rpm')!;
  const channels: Partial<Record<ChannelId, Float64Array>> = {};
  for (const channel of recording.channels) {
    // Channels with dropped samples have their own time axis; leave them out.
    if (channel.values.length === rpm.values.length) channels[channel.id] = channel.values;
  }
  return { timeS: rpm.timesS, channels };
}

describe.skipIf(!hasSharedData(HALTECH))('superimposeFaults on a real Haltech log', () => {
  const log = hasSharedData(HALTECH) ? loadHaltechLog() : { timeS: new Float64Array(0), channels: {} };

  test('oil pressure loss scales the recorded pressure', () => {
    const faulty = superimposeFaults(log, [{ kind: 'oil-pressure-loss', onsetS: 0, severity: 1 }], profile, 3);
    const before = log.channels.oilPressureKpa!;
    const after = faulty.channels.oilPressureKpa!;
    // The loss ramps in over 30 s, so half of it has arrived after 15 s.
    const late = Array.from(after.keys()).filter((i) => log.timeS[i] - log.timeS[0] > 15);
    expect(mean(late.map((i) => after[i] / before[i]))).toBeLessThan(0.8);
    expect(faulty.channels.rpm).toEqual(log.channels.rpm);
  });

  test('boost leak leaves a log without boost unchanged', () => {
    const faulty = superimposeFaults(log, [{ kind: 'boost-leak', onsetS: 0, severity: 1 }], profile, 3);
    expect(max(Array.from(log.channels.boostKpa!))).toBeLessThan(0);
    expect(faulty.channels.boostKpa).toEqual(log.channels.boostKpa);
  });

  test('absent channels stay absent', () => {
    const faulty = superimposeFaults(log, [{ kind: 'head-gasket-leak', onsetS: 0, severity: 1 }], profile, 3);
    expect(log.channels.coolantPressureKpa).toBeUndefined();
    expect(faulty.channels.coolantPressureKpa).toBeUndefined();
    for (const values of Object.values(faulty.channels)) {
      expect(values!.every((v) => Number.isFinite(v))).toBe(true);
    }
  });
});
