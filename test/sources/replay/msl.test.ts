import { describe, expect, test } from 'bun:test';
import { LogFormatError } from '../../../server/sources/replay/errors.ts';
import { parseMsl } from '../../../server/sources/replay/formats/msl.ts';
import { buildRecording } from '../../../server/sources/replay/recording.ts';
import { hasSharedData } from '../../support/shared-data.ts';
import { catchError, columnValues, readFixture, readShared } from './read-log.ts';

const MS_TEST = 'logs/ecu/ms_test.msl';
const encoder = new TextEncoder();

function channel(recording: ReturnType<typeof buildRecording>, id: string) {
  const found = recording.channels.find((c) => c.id === id);
  if (found === undefined) throw new Error(`channel ${id} is missing`);
  return found;
}

describe('MSL parser on the MegaSquirt-1 log', () => {
  test.skipIf(!hasSharedData(MS_TEST))('ms_test.msl rate, length and dead sensors', async () => {
    const table = parseMsl(await readShared(MS_TEST), 'ms_test.msl');
    const recording = buildRecording(table);
    const rateHz = (recording.recordCount - 1) / recording.durationS;

    expect(recording.recordCount).toBe(7977);
    expect(recording.durationS).toBeGreaterThan(535);
    expect(recording.durationS).toBeLessThan(545);
    expect(rateHz).toBeGreaterThan(14);
    expect(rateHz).toBeLessThan(16);
    expect(new Set(columnValues(table, 'O2'))).toEqual(new Set([10]));
    expect(new Set(columnValues(table, 'IAT'))).toEqual(new Set([21]));
    expect(channel(recording, 'lambda').values.length).toBe(7977);
    expect(channel(recording, 'iatC').values.length).toBe(7977);
  });

  test.skipIf(!hasSharedData(MS_TEST))('ms_test.msl coolant is read in °F', async () => {
    const recording = buildRecording(parseMsl(await readShared(MS_TEST), 'ms_test.msl'));
    const coolant = channel(recording, 'coolantC');

    expect(coolant.sourceUnit).toBe('°F');
    expect(Math.max(...coolant.values)).toBeCloseTo(((116 - 32) * 5) / 9, 6);
  });
});

describe('MSL parser on fixtures', () => {
  test('MegaSquirt excerpt header and rows', async () => {
    const table = parseMsl(await readFixture('ms1-excerpt.msl'), 'ms1-excerpt.msl');

    expect(table.timesS.length).toBe(8);
    expect(table.timesS[0]).toBe(26853.346);
    expect(table.columns.length).toBe(26);
    expect(table.defaultTemperatureUnit).toBe('°F');
    expect(table.meta.header).toContain('MS1 Base Code');
    expect(columnValues(table, 'RPM')[0]).toBe(909);
  });

  test('TunerStudio CSV in ms with a marker', async () => {
    const table = parseMsl(await readFixture('tunerstudio-speeduino.csv'), 'ts.csv');
    const recording = buildRecording(table);

    expect(Array.from(table.timesS)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(table.defaultTemperatureUnit).toBeUndefined();
    expect(table.markers).toEqual([{ timeS: 0.1, text: 'MARK 000 - rev' }]);
    expect(channel(recording, 'coolantC').values[1]).toBe(80.5);
    expect(channel(recording, 'lambda').values[0]).toBeCloseTo(1, 9);
    expect(channel(recording, 'oilPressureKpa').sourceUnit).toBe('psi gauge');
    expect(channel(recording, 'oilPressureKpa').values[0]).toBeCloseTo(45 * 6.894757, 6);
    expect(channel(recording, 'oilPressureKpa').values.length).toBe(3);
  });

  test('short row is skipped with its line', () => {
    const text = 'Time\tRPM\tMAP\ns\trpm\tkPa\n0\t900\t40\n0.1\t910\n0.2\t920\t41\n';
    const table = parseMsl(encoder.encode(text), 'short-row.msl');

    expect(table.timesS.length).toBe(2);
    expect(table.warnings).toEqual(['short-row.msl: skipped 1 damaged rows at lines 4']);
  });

  test('short row in strict mode throws', () => {
    const text = 'Time\tRPM\tMAP\ns\trpm\tkPa\n0\t900\t40\n0.1\t910\n';
    const error = catchError(() => parseMsl(encoder.encode(text), 'strict.msl', { strict: true }));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toBe('strict.msl at line 4: expected 3 cells starting with a time, found 2');
  });

  test('missing names row throws', () => {
    const error = catchError(() => parseMsl(encoder.encode('"header"\n1\t2\n3\t4\n'), 'none.msl'));

    expect(error.message).toContain('none.msl at line 1: expected a row of channel names starting with "Time"');
  });

  test('header without data throws', () => {
    const error = catchError(() => parseMsl(encoder.encode('Time\tRPM\ns\trpm\n'), 'empty.msl'));

    expect(error.message).toBe('empty.msl at line 3: expected data rows after the header');
  });
});
