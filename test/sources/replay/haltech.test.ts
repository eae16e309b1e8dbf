import { describe, expect, test } from 'bun:test';
import { LogFormatError } from '../../../server/sources/replay/errors.ts';
import { parseHaltechNsp } from '../../../server/sources/replay/formats/haltech.ts';
import { buildRecording } from '../../../server/sources/replay/recording.ts';
import { hasSharedData } from '../../support/shared-data.ts';
import { catchError, columnValues, readFixture, readShared } from './read-log.ts';

const HALTECH = 'logs/ecu/haltech-nsp-2025-07-18.csv';
const encoder = new TextEncoder();

describe('Haltech NSP parser on the real export', () => {
  test.skipIf(!hasSharedData(HALTECH))('channels, rate and length', async () => {
    const table = parseHaltechNsp(await readShared(HALTECH), 'haltech.csv');
    const recording = buildRecording(table);
    const steps = new Set<number>();
    for (let i = 1; i < recording.recordCount; i++) {
      steps.add(Math.round((table.timesS[i] - table.timesS[i - 1]) * 1000));
    }

    expect(table.columns.length).toBe(114);
    expect(recording.recordCount).toBe(879);
    expect(recording.durationS).toBeCloseTo(17.56, 6);
    expect(steps).toEqual(new Set([20]));
    expect(table.meta.Software).toBe('Haltech NSP');
    expect(table.meta['Log Number']).toBe('1118');
  });

  test.skipIf(!hasSharedData(HALTECH))('conversions by channel type', async () => {
    const recording = buildRecording(parseHaltechNsp(await readShared(HALTECH), 'haltech.csv'));
    const byId = new Map(recording.channels.map((c) => [c.id, c]));

    expect(byId.get('rpm')!.values[0]).toBe(1225);
    expect(byId.get('oilPressureKpa')!.sourceUnit).toBe('kPa gauge');
    expect(Math.min(...byId.get('oilPressureKpa')!.values)).toBeGreaterThan(300);
    expect(byId.get('coolantC')!.sourceUnit).toBe('K');
    expect(Math.min(...byId.get('coolantC')!.values)).toBeGreaterThan(60);
    expect(Math.max(...byId.get('coolantC')!.values)).toBeLessThan(80);
    expect(byId.get('lambda')!.sourceUnit).toBe('lambda');
    expect(byId.get('batteryV')!.values[0]).toBeCloseTo(13.0, 0);
    expect(recording.unmapped.find((u) => u.name === 'Undriven Wheel Speed')?.reason)
      .toBe('every value is the Haltech no-value sentinel');
  });
});

describe('Haltech NSP parser on fixtures', () => {
  test('midnight wrap and sentinels', async () => {
    const table = parseHaltechNsp(await readFixture('haltech-midnight.csv'), 'midnight.csv');
    const recording = buildRecording(table);
    const byId = new Map(recording.channels.map((c) => [c.id, c]));
    const timesMs = Array.from(recording.channels[0].timesS).map((t) => Math.round(t * 1000));

    expect(timesMs).toEqual([0, 20, 40, 60]);
    expect(table.warnings).toEqual(['midnight.csv: the time of day crossed midnight 1 times']);
    expect(Array.from(columnValues(table, 'Wideband O2 Overall'))).toEqual([1, NaN, 0.98, 0.95]);
    expect(byId.get('lambda')!.values.length).toBe(3);
    expect(byId.get('mapKpa')!.values[0]).toBeCloseTo(101.325, 6);
    expect(byId.get('mapKpa')!.values[2]).toBeCloseTo(151.325, 6);
    expect(byId.get('coolantC')!.values[0]).toBeCloseTo(90.05, 6);
    expect(byId.get('batteryV')!.values[0]).toBeCloseTo(13.9, 9);
    expect(recording.unmapped.map((u) => u.name)).toEqual(['Undriven Wheel Speed']);
  });

  test('missing first line throws', () => {
    const error = catchError(() => parseHaltechNsp(encoder.encode('DataLog\n'), 'bad.csv'));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toBe('bad.csv at line 1: expected the first line %DataLog%');
  });

  test('stray header line throws with its line', () => {
    const text = '%DataLog%\nChannel : RPM\nType : EngineSpeed\ngarbage\n00:00:01.000,900\n';
    const error = catchError(() => parseHaltechNsp(encoder.encode(text), 'stray.csv'));

    expect(error.message).toContain('stray.csv at line 4: expected a "Key : Value" line');
  });

  test('row with missing values is skipped', () => {
    const text = '%DataLog%\nChannel : RPM\nType : EngineSpeed\nChannel : TPS\nType : Percentage\n' +
      '00:00:01.000,900,10\n00:00:01.020,905\n00:00:01.040,910,12\n';
    const table = parseHaltechNsp(encoder.encode(text), 'gap.csv');

    expect(table.timesS.length).toBe(2);
    expect(table.warnings).toEqual(['gap.csv: skipped 1 damaged rows at lines 7']);
    expect(Array.from(columnValues(table, 'TPS'))).toEqual([1, 1.2]);
  });
});
