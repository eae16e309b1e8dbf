import { describe, expect, test } from 'bun:test';
import { LogFormatError } from '../../../server/sources/replay/errors.ts';
import { detectLogFormat, parseLogFile } from '../../../server/sources/replay/formats.ts';
import { hasSharedData } from '../../support/shared-data.ts';
import { writeMlg } from './mlg-writer.ts';
import { catchError, readFixture, readShared } from './read-log.ts';

const encoder = new TextEncoder();

describe('log format detection', () => {
  const fixtures: [string, string][] = [
    ['ms1-excerpt.msl', 'msl'],
    ['tunerstudio-speeduino.csv', 'msl'],
    ['haltech-midnight.csv', 'haltech-nsp'],
    ['obd-run-time.csv', 'obd-csv'],
    ['torque-style.csv', 'obd-csv'],
  ];
  for (const [name, format] of fixtures) {
    test(`${name} is ${format}`, async () => {
      expect(detectLogFormat(await readFixture(name), name)?.id).toBe(format);
    });
  }

  test('content wins over a misleading extension', async () => {
    const mlg = writeMlg(2, [{ type: 2, name: 'RPM' }], [{ kind: 'data', ticks: 0, raw: [900] }]);
    const haltech = await readFixture('haltech-midnight.csv');

    expect(detectLogFormat(mlg, 'drive.csv')?.id).toBe('mlg');
    expect(detectLogFormat(haltech, 'drive.mlg')?.id).toBe('haltech-nsp');
  });

  const shared: [string, string][] = [
    ['logs/ecu/short.mlg', 'mlg'],
    ['logs/ecu/ms_test.msl', 'msl'],
    ['logs/ecu/haltech-nsp-2025-07-18.csv', 'haltech-nsp'],
    ['logs/obd/drive1.csv', 'obd-csv'],
  ];
  for (const [path, format] of shared) {
    test.skipIf(!hasSharedData(path))(`${path} is ${format}`, async () => {
      expect(detectLogFormat(await readShared(path), path)?.id).toBe(format);
    });
  }

  test('unknown content names the formats', () => {
    const error = catchError(() => parseLogFile(encoder.encode('\x00\x01garbage'), 'junk.bin'));

    expect(error).toBeInstanceOf(LogFormatError);
    expect(error.message).toContain('junk.bin at byte 0: unknown log format; readable formats are:');
    expect(error.message).toContain('MegaLogViewer binary log (.mlg)');
  });

  test('candump capture is not taken for a CSV', () => {
    const candump = '(1544106679.432583) can0 1C4#0A1B2C3D\n(1544106679.433583) can0 1C4#0A1B2C3E\n';

    expect(detectLogFormat(encoder.encode(candump), 'capture.csv')?.id).toBe('candump');
  });
});
