import { describe, expect, test } from 'bun:test';
import {
  decodeDtcs,
  decodeSupportedPids,
  decodeVin,
  formatDtc,
  maskVin,
} from '../../../server/sources/obd/diagnostics.ts';

describe('decodeSupportedPids', () => {
  test('reads a typical 0100 bitmap', () => {
    const pids = decodeSupportedPids(0x00, [0xbe, 0x1f, 0xa8, 0x13]);
    expect(pids).toEqual([0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x13, 0x15, 0x1c, 0x1f, 0x20]);
  });

  test('offsets by the base PID', () => {
    expect(decodeSupportedPids(0x40, [0x80, 0, 0, 0x01])).toEqual([0x41, 0x60]);
  });

  test('tolerates a short bitmap', () => {
    expect(decodeSupportedPids(0x00, [0x80])).toEqual([0x01]);
  });
});

describe('trouble codes', () => {
  test('formats each system letter', () => {
    expect(formatDtc(0x01, 0x71)).toBe('P0171');
    expect(formatDtc(0x41, 0x23)).toBe('C0123');
    expect(formatDtc(0x92, 0x34)).toBe('B1234');
    expect(formatDtc(0xc1, 0x00)).toBe('U0100');
    expect(formatDtc(0x3f, 0xff)).toBe('P3FFF');
  });

  test('decodes CAN form with count', () => {
    expect(decodeDtcs([0x02, 0x01, 0x71, 0x03, 0x01], true)).toEqual(['P0171', 'P0301']);
  });

  test('CAN count limits trailing bytes', () => {
    expect(decodeDtcs([0x01, 0x01, 0x71, 0x03, 0x01], true)).toEqual(['P0171']);
  });

  test('decodes the K-line form skipping padding', () => {
    expect(decodeDtcs([0x01, 0x71, 0x00, 0x00, 0x00, 0x00], false)).toEqual(['P0171']);
  });

  test('no codes decode to an empty list', () => {
    expect(decodeDtcs([0x00], true)).toEqual([]);
    expect(decodeDtcs([0, 0, 0, 0, 0, 0], false)).toEqual([]);
  });
});

describe('VIN', () => {
  const vin = 'JT2JA82J5R0012345';
  const ascii = Array.from(vin, (c) => c.charCodeAt(0));

  test('decodes the CAN form', () => {
    expect(decodeVin([[0x49, 0x02, 0x01, ...ascii]])).toBe(vin);
  });

  test('decodes the K-line form of five frames', () => {
    const padded = [0, 0, 0, ...ascii];
    const frames = [0, 1, 2, 3, 4].map((i) => [0x49, 0x02, i + 1, ...padded.slice(4 * i, 4 * i + 4)]);
    expect(decodeVin(frames)).toBe(vin);
  });

  test('rejects an invalid VIN', () => {
    expect(decodeVin([[0x49, 0x02, 0x01, ...Array.from('SHORT', (c) => c.charCodeAt(0))]])).toBeNull();
    expect(decodeVin([[0x49, 0x02, 0x01, ...Array.from('JT2JA82J5R001234O', (c) => c.charCodeAt(0))]])).toBeNull();
  });

  test('masks all but maker and last four', () => {
    expect(maskVin(vin)).toBe('JT2**********2345');
    expect(maskVin(vin)).not.toContain('JA82J5R0');
    expect(maskVin('ABC')).toBe('***');
  });
});
