import { describe, expect, test } from 'bun:test';
import { LogFormatError } from '../../../server/sources/replay/errors.ts';
import { parseMlg } from '../../../server/sources/replay/formats/mlg.ts';
import { hasSharedData, sharedDataFile } from '../../support/shared-data.ts';
import { writeMlg, type MlgBlockSpec, type MlgFieldSpec } from './mlg-writer.ts';
import { catchError, columnValues as column, readShared } from './read-log.ts';

const SHORT = 'logs/ecu/short.mlg';
const SHORT_JSON = 'logs/ecu/short.json';
const LONG = 'logs/ecu/long.mlg';

const ALL_TYPES: MlgFieldSpec[] = [
  { type: 7, name: 'Time', units: 's', digits: 3, category: 'Basic' },
  { type: 0, name: 'RPM100', units: 'rpm', scale: 100 },
  { type: 1, name: 'Advance', units: 'deg', scale: 0.5, transform: -10 },
  { type: 2, name: 'RPM', units: 'rpm', category: 'Engine' },
  { type: 3, name: 'Knock', units: 'deg', scale: 0.1 },
  { type: 4, name: 'Odometer', units: 'km' },
  { type: 5, name: 'Offset', units: '', transform: 5 },
  { type: 6, name: 'Counter64', units: '' },
  { type: 10, name: 'Flags8', units: 'bits' },
  { type: 11, name: 'Flags16', units: 'bits' },
  { type: 12, name: 'Flags32', units: 'bits' },
];
const ALL_TYPES_RAW = [
  0.25, 35, -20, 3500, -45, 4_000_000_000, -7, 2 ** 40, 0x81, 0x8001, 0x80000001,
];

function allTypesBlocks(): MlgBlockSpec[] {
  return [
    { kind: 'data', ticks: 100, raw: ALL_TYPES_RAW },
    { kind: 'marker', ticks: 200, text: 'MARK 000 - test marker' },
    { kind: 'data', ticks: 25_100, raw: ALL_TYPES_RAW.map((v, j) => (j === 0 ? 0.5 : v)) },
  ];
}

describe('MLG parser on real logs', () => {
  test.skipIf(!hasSharedData(SHORT_JSON))('short.mlg matches mlg-converter values', async () => {
    const table = parseMlg(await readShared(SHORT), 'short.mlg');
    const reference = await Bun.file(sharedDataFile(SHORT_JSON)!).json();
    const records = reference.records.filter((r: { type: string }) => r.type === 'field');

    expect(table.meta.formatVersion).toBe('1');
    expect(table.timesS.length).toBe(66);
    expect(records.length).toBe(66);
    expect(table.columns.length).toBe(reference.fields.length);

    // mlg-converter returns raw values; the parser returns (raw + transform) * scale.
    for (const field of reference.fields) {
      const values = column(table, field.name);
      records.forEach((record: Record<string, number>, i: number) => {
        expect(values[i]).toBe((record[field.name] + field.transform) * field.scale);
      });
    }
    records.forEach((record: { timestamp: number }, i: number) => {
      expect(Math.round(table.timesS[i] * 1e5) % 65_536).toBe(record.timestamp);
    });
  });

  test.skipIf(!hasSharedData(LONG))('long.mlg records, channels and faults', async () => {
    const table = parseMlg(await readShared(LONG), 'long.mlg');
    const times = table.timesS;
    const durationS = times[times.length - 1] - times[0];

    expect(times.length).toBe(27_616);
    expect(table.columns.length).toBe(67);
    expect(durationS / 60).toBeGreaterThan(51);
    expect(durationS / 60).toBeLessThan(53);
    expect(table.markers.length).toBe(24);
    expect(Math.max(...column(table, 'RPM'))).toBe(5623);
    expect(Math.min(...column(table, 'MAP'))).toBe(13);
    expect(Math.max(...column(table, 'MAP'))).toBe(111);
    expect(Math.min(...column(table, 'AFR'))).toBeCloseTo(7.4, 5);
    expect(Math.max(...column(table, 'AFR'))).toBeCloseTo(22.3, 5);
    expect(new Set(column(table, 'IAT'))).toEqual(new Set([21]));

    const battery = column(table, 'Battery V');
    const outside = battery.filter((v) => v < 8 || v > 16).length;
    expect(Math.min(...battery)).toBeCloseTo(0.1, 5);
    expect(Math.max(...battery)).toBeCloseTo(25.3, 5);
    expect(outside).toBeGreaterThan(4300);
    expect(outside).toBeLessThan(4500);
  });

  test.skipIf(!hasSharedData(LONG))('long.mlg gaps come from the Time field', async () => {
    const table = parseMlg(await readShared(LONG), 'long.mlg');
    const steps: number[] = [];
    for (let i = 1; i < table.timesS.length; i++) steps.push(table.timesS[i] - table.timesS[i - 1]);
    const long = steps.filter((s) => s > 100).sort((a, b) => a - b);

    expect(steps.every((s) => s >= 0)).toBe(true);
    expect(long.length).toBe(2);
    expect(long[0]).toBeGreaterThan(420);
    expect(long[0]).toBeLessThan(423);
    expect(long[1]).toBeGreaterThan(710);
    expect(long[1]).toBeLessThan(713);
    expect(steps.filter((s) => s > 5 && s < 10).length).toBe(6);
    expect(table.warnings.some((w) => w.includes('wraps of the 16-bit timestamp'))).toBe(true);
  });
});

describe('MLG parser on written files', () => {
  test('version 2 reads every field type', () => {
    const table = parseMlg(writeMlg(2, ALL_TYPES, allTypesBlocks()), 'v2.mlg');

    expect(table.meta.formatVersion).toBe('2');
    expect(table.timesS.length).toBe(2);
    expect(column(table, 'Time')[0]).toBe(0.25);
    expect(column(table, 'RPM100')[0]).toBe(3500);
    expect(column(table, 'Advance')[0]).toBe(-15);
    expect(column(table, 'RPM')[0]).toBe(3500);
    expect(column(table, 'Knock')[0]).toBeCloseTo(-4.5, 6);
    expect(column(table, 'Odometer')[0]).toBe(4_000_000_000);
    expect(column(table, 'Offset')[0]).toBe(-2);
    expect(column(table, 'Counter64')[0]).toBe(2 ** 40);
    expect(column(table, 'Flags8')[0]).toBe(0x81);
    expect(column(table, 'Flags16')[0]).toBe(0x8001);
    expect(column(table, 'Flags32')[0]).toBe(0x80000001);
  });

  test('version 1 and 2 give the same table', () => {
    const v1 = parseMlg(writeMlg(1, ALL_TYPES, allTypesBlocks()), 'a.mlg');
    const v2 = parseMlg(writeMlg(2, ALL_TYPES, allTypesBlocks()), 'a.mlg');

    expect(v1.timesS).toEqual(v2.timesS);
    expect(v1.columns).toEqual(v2.columns);
    expect(v1.markers).toEqual(v2.markers);
  });

  test('version 2 without info section', () => {
    const fields: MlgFieldSpec[] = [
      { type: 4, name: 'Time', units: 'sec', scale: 0.001 },
      { type: 2, name: 'RPM' },
    ];
    const blocks: MlgBlockSpec[] = [
      { kind: 'data', ticks: 0, raw: [1_000, 900] },
      { kind: 'data', ticks: 5_000, raw: [1_050, 950] },
    ];
    const table = parseMlg(writeMlg(2, fields, blocks, null), 'rusefi.mlg');

    expect(table.meta.info).toBe('');
    expect(column(table, 'Time')[0]).toBeCloseTo(1, 6);
    expect(column(table, 'Time')[1]).toBeCloseTo(1.05, 6);
    expect(Array.from(column(table, 'RPM'))).toEqual([900, 950]);
  });

  test('bit fields are excluded as flags', () => {
    const bytes = writeMlg(2, ALL_TYPES, allTypesBlocks(), 'info', ['Flag A', 'Flag B']);
    const table = parseMlg(bytes, 'b.mlg');
    const excluded = table.columns.filter((c) => c.excludedReason !== undefined).map((c) => c.name);

    expect(excluded).toEqual(['Flags8', 'Flags16', 'Flags32']);
  });

  test('marker keeps its text and time', () => {
    const table = parseMlg(writeMlg(1, ALL_TYPES, allTypesBlocks()), 'm.mlg');

    expect(table.markers.length).toBe(1);
    expect(table.markers[0].text).toBe('MARK 000 - test marker');
    expect(table.markers[0].timeS).toBeCloseTo(0.002, 9);
  });

  test('timestamp unwraps across 65535', () => {
    const fields: MlgFieldSpec[] = [{ type: 2, name: 'RPM', units: 'rpm' }];
    const ticks = [60_000, 5_000, 40_000, 10_000];
    const blocks: MlgBlockSpec[] = ticks.map((t) => ({ kind: 'data', ticks: t, raw: [900] }));
    const table = parseMlg(writeMlg(1, fields, blocks), 'wrap.mlg');
    const steps = [1, 2, 3].map((i) => table.timesS[i] - table.timesS[i - 1]);

    expect(steps[0]).toBeCloseTo(0.10536, 9);
    expect(steps[1]).toBeCloseTo(0.35, 9);
    expect(steps[2]).toBeCloseTo(0.35536, 9);
  });

  test('Time field restores whole wraps in a gap', () => {
    const fields: MlgFieldSpec[] = [
      { type: 7, name: 'Time', units: 's' },
      { type: 2, name: 'RPM' },
    ];
    const gapTicks = 1_000_000; // 10 s
    const blocks: MlgBlockSpec[] = [
      { kind: 'data', ticks: 1_000, raw: [0, 900] },
      { kind: 'marker', ticks: 2_000, text: 'Going Offline' },
      { kind: 'data', ticks: (1_000 + gapTicks) % 65_536, raw: [10, 900] },
    ];
    const table = parseMlg(writeMlg(1, fields, blocks), 'gap.mlg');

    expect(table.timesS[1] - table.timesS[0]).toBeCloseTo(10, 9);
    expect(table.warnings.some((w) => w.includes('added 15 wraps'))).toBe(true);
  });

  test('gap without Time field stays shortest and warns', () => {
    const fields: MlgFieldSpec[] = [{ type: 2, name: 'RPM' }];
    const blocks: MlgBlockSpec[] = [
      { kind: 'data', ticks: 1_000, raw: [900] },
      { kind: 'marker', ticks: 2_000, text: 'Going Offline' },
      { kind: 'data', ticks: 17_960, raw: [900] },
    ];
    const table = parseMlg(writeMlg(1, fields, blocks), 'gap.mlg');

    expect(table.timesS[1] - table.timesS[0]).toBeCloseTo(0.1696, 9);
    expect(table.warnings.some((w) => w.includes('1 intervals after a marker or lost blocks'))).toBe(true);
  });

  test('lost blocks in the counter are ambiguous', () => {
    const fields: MlgFieldSpec[] = [{ type: 2, name: 'RPM' }];
    const blocks: MlgBlockSpec[] = [
      { kind: 'data', ticks: 1_000, raw: [900], counter: 7 },
      { kind: 'data', ticks: 5_000, raw: [900], counter: 12 },
    ];
    const table = parseMlg(writeMlg(1, fields, blocks), 'lost.mlg');

    expect(table.warnings.some((w) => w.includes('1 intervals after a marker or lost blocks'))).toBe(true);
  });
});

describe('MLG parser on damaged files', () => {
  const fields: MlgFieldSpec[] = [{ type: 2, name: 'RPM' }, { type: 0, name: 'CLT' }];
  const blocks: MlgBlockSpec[] = [0, 1, 2, 3].map((i) => ({
    kind: 'data',
    ticks: 1000 * i,
    raw: [900 + i, 80],
  }));
  const whole = writeMlg(1, fields, blocks);
  const blockLength = 4 + 3 + 1;
  const firstBlock = whole.length - 4 * blockLength;

  test('truncated data keeps earlier records', () => {
    const cut = whole.subarray(0, firstBlock + 2 * blockLength + 5);
    const table = parseMlg(cut, 'cut.mlg');

    expect(table.timesS.length).toBe(2);
    expect(table.warnings[0]).toContain(`at byte ${firstBlock + 2 * blockLength}`);
    expect(table.warnings[0]).toContain('file ends inside a data block');
  });

  test('truncated data in strict mode throws', () => {
    const cut = whole.subarray(0, firstBlock + 2 * blockLength + 5);
    const error = catchError(() => parseMlg(cut, 'cut.mlg', { strict: true }));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toBe(
      `cut.mlg at byte ${firstBlock + 2 * blockLength}: file ends inside a data block (need 8 bytes, have 5)`,
    );
  });

  test('truncated header throws with the byte', () => {
    const error = catchError(() => parseMlg(whole.subarray(0, 40), 'head.mlg'));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toContain('head.mlg at byte 40');
    expect(error.message).toContain('descriptors of 2 fields');
  });

  test('wrong magic throws at byte 0', () => {
    const bytes = whole.slice();
    bytes[0] = 'X'.charCodeAt(0);
    const error = catchError(() => parseMlg(bytes, 'magic.mlg'));

    expect(error.message).toBe('magic.mlg at byte 0: expected the MegaLogViewer magic "MLVLG"');
  });

  test('unknown version throws at byte 6', () => {
    const bytes = whole.slice();
    bytes[7] = 3;
    const error = catchError(() => parseMlg(bytes, 'version.mlg'));

    expect(error.message).toBe('version.mlg at byte 6: unsupported MLG format version 3; expected 1 or 2');
  });

  test('unknown block type ends the data', () => {
    const bytes = whole.slice();
    bytes[firstBlock + 3 * blockLength] = 7;
    const table = parseMlg(bytes, 'block.mlg');

    expect(table.timesS.length).toBe(3);
    expect(table.warnings[0]).toContain('unknown block type 7; expected 0 (data) or 1 (marker)');
  });

  test('unknown first block type throws', () => {
    const bytes = whole.slice();
    bytes[firstBlock] = 9;
    const error = catchError(() => parseMlg(bytes, 'first.mlg'));

    expect(error.message).toContain(`first.mlg at byte ${firstBlock}: unknown block type 9`);
  });

  test('file without intact records throws', () => {
    const headerOnly = writeMlg(1, fields, []);
    const error = catchError(() => parseMlg(headerOnly, 'empty.mlg'));

    expect(error.message).toBe(
      `empty.mlg at byte ${headerOnly.length}: expected data blocks after the header, found none that are intact`,
    );
  });

  test('wrong check byte skips the record', () => {
    const damaged = blocks.map((b, i) => (i === 1 ? { ...b, isCheckByteWrong: true } : b));
    const table = parseMlg(writeMlg(1, fields, damaged), 'check.mlg');

    expect(table.timesS.length).toBe(3);
    expect(Array.from(column(table, 'RPM'))).toEqual([900, 902, 903]);
    expect(table.warnings[0]).toContain('skipped 1 data blocks whose check byte did not match');
  });
});
