import { describe, expect, test } from 'bun:test';
import { LogFormatError } from '../../../server/sources/replay/errors.ts';
import { parseObdCsv, spreadWholeSeconds } from '../../../server/sources/replay/formats/obd-csv.ts';
import { buildRecording } from '../../../server/sources/replay/recording.ts';
import { hasSharedData } from '../../support/shared-data.ts';
import { catchError, readFixture, readShared } from './read-log.ts';

const OBD_FILES = ['drive1.csv', 'idle1.csv', 'live1.csv', 'long2.csv'];
const encoder = new TextEncoder();

function repeatedRows(bytes: Uint8Array): number {
  const lines = new TextDecoder().decode(bytes).split('\n').slice(1).filter((l) => l.trim() !== '');
  const repeats = lines.filter((line, i) => i > 0 && line.trim() === lines[i - 1].trim());
  return repeats.length / lines.length;
}

describe('OBD CSV parser on the carOBD drives', () => {
  for (const name of OBD_FILES) {
    const path = `logs/obd/${name}`;
    test.skipIf(!hasSharedData(path))(`${name} clock, repeats and PIDs`, async () => {
      const bytes = await readShared(path);
      const table = parseObdCsv(bytes, name);
      const recording = buildRecording(table);
      const repeatShare = repeatedRows(bytes);
      let isAscending = true;
      for (let i = 1; i < table.timesS.length; i++) {
        isAscending &&= table.timesS[i] > table.timesS[i - 1];
      }

      expect(table.columns.length).toBe(27);
      expect(table.meta.timeColumn).toBe('ENGINE_RUN_TINE');
      expect(repeatShare).toBeGreaterThan(0.05);
      expect(repeatShare).toBeLessThan(0.22);
      expect(table.warnings.some((w) => w.includes('rows that repeat the previous row'))).toBe(true);
      expect(isAscending).toBe(true);
      expect(recording.channels.map((c) => c.id)).toContain('rpm');
      expect(recording.channels.map((c) => c.id)).toContain('coolantC');
      expect(recording.channels.map((c) => c.id)).toContain('mapKpa');
    });
  }

  const idle = 'logs/obd/idle1.csv';
  test.skipIf(!hasSharedData(idle))('idle1.csv truncated row is reported', async () => {
    const table = parseObdCsv(await readShared(idle), 'idle1.csv');

    expect(table.warnings).toContain('idle1.csv: skipped 1 truncated or malformed rows at lines 1214');
  });
});

describe('OBD CSV parser on fixtures', () => {
  test('run-time clock, repeats and truncation', async () => {
    const table = parseObdCsv(await readFixture('obd-run-time.csv'), 'obd.csv');
    const rpm = table.columns.find((c) => c.name === 'ENGINE_RPM')!;

    expect(Array.from(table.timesS)).toEqual([0, 1, 2, 2.5, 3, 3.5, 4, 5]);
    expect(Array.from(rpm.values)).toEqual([0, 780, 790, 800, 805, 810, 1200, 1400]);
    expect(table.warnings).toEqual([
      'obd.csv: skipped 1 truncated or malformed rows at lines 10',
      'obd.csv: dropped 1 rows that repeat the previous row',
      'obd.csv: rows sharing a whole-second timestamp were spread evenly up to the next one',
    ]);
  });

  test('Torque-style units in brackets', async () => {
    const table = parseObdCsv(await readFixture('torque-style.csv'), 'torque.csv');
    const recording = buildRecording(table);
    const byId = new Map(recording.channels.map((c) => [c.id, c]));

    expect(byId.get('speedKmh')!.values[1]).toBeCloseTo(16.09344, 6);
    expect(byId.get('coolantC')!.values[0]).toBeCloseTo(80, 9);
    expect(byId.get('mapKpa')!.values[0]).toBeCloseTo(34.473785, 5);
    expect(byId.get('throttlePct')!.values[2]).toBe(40);
    expect(Array.from(byId.get('rpm')!.timesS)).toEqual([0, 0.5, 1]);
    expect(recording.unmapped.map((u) => u.name)).toEqual(['Fuel Level (From Engine ECU)']);
  });

  test('time in ms and time of day', () => {
    const ms = parseObdCsv(encoder.encode('Timestamp (ms),RPM\n1000,900\n1250,910\n'), 'ms.csv');
    const timeOfDay = 'Time,RPM\n10:00:00.5,900\n10:00:01.0,910\n';
    const clock = parseObdCsv(encoder.encode(timeOfDay), 'tod.csv');

    expect(Array.from(ms.timesS)).toEqual([1, 1.25]);
    expect(Array.from(clock.timesS)).toEqual([36000.5, 36001]);
  });

  test('semicolons with decimal commas', () => {
    const table = parseObdCsv(encoder.encode('Time;RPM;MAP\n0,5;900;40,5\n1;910;41\n'), 'eu.csv');

    expect(Array.from(table.timesS)).toEqual([0.5, 1]);
    expect(Array.from(table.columns[1].values)).toEqual([40.5, 41]);
  });

  test('spreading leaves fine clocks alone', () => {
    const fine = Float64Array.of(0, 0.5, 0.5, 1);

    expect(spreadWholeSeconds(fine, 'x.csv').timesS).toBe(fine);
  });

  test('paused logger keeps rows close', () => {
    const spread = spreadWholeSeconds(Float64Array.of(0, 0, 1, 1, 100, 100), 'p.csv');

    expect(Array.from(spread.timesS)).toEqual([0, 0.5, 1, 1.5, 100, 100.5]);
  });

  test('header without clock throws', () => {
    const error = catchError(() => parseObdCsv(encoder.encode('RPM,MAP\n900,40\n'), 'noclock.csv'));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toContain('noclock.csv at line 1: expected a header row with a time column');
  });

  test('rows without a time throw in strict mode', () => {
    const text = 'Time,RPM\n0,900\nabc,910\n';
    const bytes = encoder.encode(text);
    const error = catchError(() => parseObdCsv(bytes, 'strict.csv', { strict: true }));

    expect(error.message).toBe('strict.csv at line 3: expected 2 cells with a time in column 1, found 2');
  });
});
