import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_DBCS, loadBundled } from '../../../server/sources/can/bundled.ts';
import { DbcDecoder, encodeMessage, loadDbcFile, parseDbc } from '../../../server/sources/can/dbc/index.ts';
import { createFrame, setDataFrame } from '../../../server/sources/can/frame.ts';
import { CanIngest } from '../../../server/sources/can/ingest.ts';
import {
  loadMappingFile,
  MappingError,
  parseMapping,
  unusedMappingKeys,
} from '../../../server/sources/can/mapping.ts';
import { hasSharedData, sharedDataFile } from '../../support/shared-data.ts';
import { randomBytes, seededRandom } from './random.ts';

/** Feeds one payload through an ingest and returns the samples by channel. */
function ingestOnce(ingest: CanIngest, id: number, isExtended: boolean, data: Uint8Array) {
  const frame = createFrame();
  setDataFrame(frame, 0, id, isExtended, data.length);
  frame.data.set(data);
  ingest.accept(frame, 1);
  return Object.fromEntries(ingest.takeSamples().map((s) => [s.channel, s.value]));
}

describe('bundled mappings', () => {
  for (const bundled of Object.values(BUNDLED_DBCS)) {
    test(`${bundled.name} mapping names only DBC signals`, () => {
      const { database, mapping } = loadBundled(bundled);
      expect(unusedMappingKeys(mapping, database)).toEqual([]);
      expect(new CanIngest(new DbcDecoder(database), mapping).mappedChannels()).toContain('rpm');
    });
  }

  test('Haltech kelvin and gauge pressures convert', () => {
    const { database, mapping } = loadBundled(BUNDLED_DBCS['haltech-v2']);
    const ingest = new CanIngest(new DbcDecoder(database), mapping);
    const pressures = database.messages.find((m) => m.name === 'HALTECH_361_PRESSURES')!;
    const temperatures = database.messages.find((m) => m.name === 'HALTECH_3E0_TEMPERATURES')!;
    const engine = database.messages.find((m) => m.name === 'HALTECH_360_ENGINE')!;

    const oil = ingestOnce(ingest, pressures.id, false, encodeMessage(pressures, { OilPressure: 400 }));
    expect(oil.oilPressureKpa).toBeCloseTo(400, 6);
    const temps = ingestOnce(ingest, temperatures.id, false, encodeMessage(temperatures, { CoolantTemperature: 373.2 }));
    expect(temps.coolantC).toBeCloseTo(100.05, 6);
    const map = ingestOnce(ingest, engine.id, false, encodeMessage(engine, { EngineSpeed: 5000, ManifoldPressure: 201.3 }));
    expect(map.mapKpa).toBeCloseTo(201.3, 6);
    expect(map.boostKpa).toBeCloseTo(201.3 - 101.325, 6);
  });

  test('EMU Black bar gauge oil pressure converts to kPa', () => {
    const { database, mapping } = loadBundled(BUNDLED_DBCS['emu-black']);
    const ingest = new CanIngest(new DbcDecoder(database), mapping);
    const message = database.messages.find((m) => m.name === 'EMU_602_SPEED_PRESSURES')!;
    const values = ingestOnce(ingest, message.id, false, encodeMessage(message, { OilPressure: 4.5 }));
    expect(values.oilPressureKpa).toBeCloseTo(450, 6);
  });

  test('Link dash multiplexed frames feed their channels', () => {
    const { database, mapping } = loadBundled(BUNDLED_DBCS['link-generic-dash']);
    const ingest = new CanIngest(new DbcDecoder(database), mapping);
    const message = database.messages[0];
    const temps = ingestOnce(ingest, 0x3e8, false, encodeMessage(message, { FrameIndex: 2, CoolantTemp: 92, IntakeAirTemp: 35 }));
    expect(temps).toEqual({ coolantC: 92, iatC: 35, batteryV: 0 });
  });

  test('impossible values are dropped and counted', () => {
    const { database, mapping } = loadBundled(BUNDLED_DBCS['haltech-v2']);
    const ingest = new CanIngest(new DbcDecoder(database), mapping);
    const engine = database.messages.find((m) => m.name === 'HALTECH_360_ENGINE')!;
    const values = ingestOnce(ingest, engine.id, false, encodeMessage(engine, { EngineSpeed: 30000, ManifoldPressure: 100 }));
    expect(values.rpm).toBeUndefined();
    expect(ingest.figures(0).implausibleSamples).toBe(1);
  });
});

const RUSEFI = 'can/rusEFI_CAN_verbose.dbc';

// The bundled rusEFI DBC was written from the published layout; this pairs
// its signals with the project's own DBC and compares decoded values.
const RUSEFI_PAIRS: Record<string, string> = {
  EngineSpeed: 'RPM',
  IgnitionAdvance: 'IgnitionTiming',
  InjectorDuty: 'InjDuty',
  VehicleSpeed: 'VehicleSpeed',
  EthanolPercent: 'FlexPct',
  PedalPosition: 'PPS',
  ThrottlePosition1: 'TPS1',
  WastegatePosition: 'Wastegate',
  ManifoldPressure: 'MAP',
  CoolantTemp: 'CoolantTemp',
  IntakeTemp: 'IntakeTemp',
  OilPressure: 'OilPress',
  BatteryVoltage: 'BattVolt',
  CylinderAirmass: 'CylAM',
  InjectorPulseWidth: 'InjPW',
  KnockCount: 'KnockCt',
  Lambda1: 'Lam1',
  Lambda2: 'Lam2',
  FuelPressureLow: 'FpLow',
  FuelPressureHigh: 'FpHigh',
  IntakeCam1: 'Cam1I',
  IntakeCam1Target: 'Cam1Itar',
  Gear: 'CurrentGear',
  WarningCount: 'WarningCounter',
};

describe.skipIf(!hasSharedData(RUSEFI))('bundled rusEFI DBC against the rusEFI project DBC', () => {
  test('paired signals decode equally from random frames', () => {
    const upstream = new DbcDecoder(loadDbcFile(sharedDataFile(RUSEFI)!));
    const ours = new DbcDecoder(loadBundled(BUNDLED_DBCS['rusefi-verbose']).database);
    const random = seededRandom(11);
    let compared = 0;
    for (const message of ours.messages()) {
      for (let i = 0; i < 50; i++) {
        const data = randomBytes(random, 8);
        const mine = ours.decode(message.message.id, false, data)!;
        const theirs = upstream.decode(message.message.id, false, data)!;
        mine.signals.forEach((signal, k) => {
          const pair = RUSEFI_PAIRS[signal.name];
          if (pair === undefined) return;
          const j = theirs.signals.findIndex((s) => s.name === pair);
          expect(j).toBeGreaterThanOrEqual(0);
          // The project DBC writes 1/30 as 0.03333333, a relative difference of 1e-7.
          const tolerance = 1e-6 * Math.max(1, Math.abs(theirs.values[j]));
          expect(Math.abs(mine.values[k] - theirs.values[j])).toBeLessThanOrEqual(tolerance);
          compared++;
        });
      }
    }
    expect(compared).toBe(Object.keys(RUSEFI_PAIRS).length * 50);
  });
});

describe('mapping files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maps-'));

  function writeMapping(name: string, json: unknown): string {
    const path = join(dir, name);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return path;
  }

  test('valid file with array targets and scale', () => {
    const path = writeMapping('ok.json', {
      signals: { 'M.S': [{ channel: 'oilPressureKpa', unit: 'psi gauge', scale: 2 }, { channel: 'rpm', unit: 'rpm' }] },
    });
    const mapping = loadMappingFile(path);
    expect(mapping.targets.get('M.S')?.map((t) => [t.channel, t.unit, t.scale])).toEqual([
      ['oilPressureKpa', 'psi gauge', 2],
      ['rpm', 'rpm', 1],
    ]);
  });

  const bad: Array<[string, unknown, string]> = [
    ['invalid JSON', '{"signals": ', 'invalid JSON'],
    ['no signals object', { signal: {} }, 'expected an object with a "signals" object'],
    ['unknown channel', { signals: { S: { channel: 'turboRpm', unit: 'rpm' } } }, '"turboRpm" is not a canonical channel id'],
    ['unknown unit', { signals: { S: { channel: 'rpm', unit: 'furlongs' } } }, 'unknown unit "furlongs"'],
    ['unit of another quantity', { signals: { S: { channel: 'coolantC', unit: 'kPa' } } }, 'unit kPa does not convert to coolantC'],
  ];
  for (const [name, json, message] of bad) {
    test(`${name} is rejected with the file named`, () => {
      const path = writeMapping(`${name.replaceAll(' ', '-')}.json`, json);
      let error: unknown;
      try {
        loadMappingFile(path);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MappingError);
      expect((error as Error).message).toStartWith(path);
      expect((error as Error).message).toContain(message);
    });
  }

  test('without a mapping, alias names map with their DBC units', () => {
    const db = parseDbc(`BO_ 1 ENGINE: 8 E
 SG_ ENGINE_RPM : 0|16@1+ (1,0) [0|0] "rpm" E
 SG_ Coolant_Temp : 16|8@1+ (1,-40) [0|0] "degF" E
 SG_ Oil_Pressure : 24|8@1+ (1,0) [0|0] "psi" E
 SG_ Mystery : 32|8@1+ (1,0) [0|0] "" E
`);
    const ingest = new CanIngest(new DbcDecoder(db), null);
    const values = ingestOnce(ingest, 1, false, Uint8Array.from([0x20, 0x03, 252, 50, 1, 0, 0, 0]));
    expect(values.rpm).toBe(800);
    expect(values.coolantC).toBeCloseTo(100, 6);
    expect(values.oilPressureKpa).toBeCloseTo(50 * 6.894757, 4);
    expect(Object.keys(values).length).toBe(3);
  });

  test('mapping of unknown signals is reported', () => {
    const mapping = parseMapping({ signals: { 'ENGINE.Nope': { channel: 'rpm', unit: 'rpm' } } }, 'm.json');
    const db = parseDbc(`BO_ 1 ENGINE: 8 E\n SG_ Rpm : 0|16@1+ (1,0) [0|0] "rpm" E\n`);
    expect(unusedMappingKeys(mapping, db)).toEqual(['ENGINE.Nope']);
  });
});
