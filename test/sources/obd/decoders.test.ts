import { describe, expect, test } from 'bun:test';
import * as d from '../../../server/sources/obd/decoders.ts';
import { channelPids, decodeMode01, PIDS, pidSpec } from '../../../server/sources/obd/pids.ts';
import { isChannelId } from '../../../server/domain/channels.ts';

// [decoder, data bytes, expected value]: both ends of each formula's range.
const RANGE_ENDS: [string, (data: number[]) => number, number[], number][] = [
  ['percent min', d.percent, [0x00], 0],
  ['percent max', d.percent, [0xff], 100],
  ['temperature min', d.temperature, [0x00], -40],
  ['temperature max', d.temperature, [0xff], 215],
  ['fuel trim min', d.fuelTrim, [0x00], -100],
  ['fuel trim zero', d.fuelTrim, [0x80], 0],
  ['fuel trim max', d.fuelTrim, [0xff], 99.21875],
  ['fuel pressure max', d.fuelPressure, [0xff], 765],
  ['single max', d.single, [0xff], 255],
  ['rpm min', d.rpm, [0x00, 0x00], 0],
  ['rpm max', d.rpm, [0xff, 0xff], 16383.75],
  ['rpm 3000', d.rpm, [0x2e, 0xe0], 3000],
  ['timing advance min', d.timingAdvance, [0x00], -64],
  ['timing advance max', d.timingAdvance, [0xff], 63.5],
  ['maf max', d.maf, [0xff, 0xff], 655.35],
  ['run time max', d.unsignedWord, [0xff, 0xff], 65535],
  ['narrowband max', d.narrowbandVolts, [0xff, 0x80], 1.275],
  ['wideband voltage-mode lambda max', d.widebandLambdaVoltageMode, [0xff, 0xff, 0, 0], 1.999969482421875],
  ['wideband voltage-mode lambda 1', d.widebandLambdaVoltageMode, [0x80, 0x00, 0, 0], 1],
  ['equivalence ratio max', d.equivalenceRatio, [0xff, 0xff], 1.999969482421875],
  ['equivalence ratio 1', d.equivalenceRatio, [0x80, 0x00], 1],
  ['module voltage max', d.moduleVoltage, [0xff, 0xff], 65.535],
  ['module voltage 14.2', d.moduleVoltage, [0x37, 0x78], 14.2],
  ['fuel rate max', d.fuelRate, [0xff, 0xff], 3276.75],
  ['dtc count ignores MIL', d.dtcCount, [0x83, 0, 0, 0], 3],
];

describe('mode 01 decoders', () => {
  for (const [name, decode, bytes, expected] of RANGE_ENDS) {
    test(name, () => {
      expect(decode(bytes)).toBeCloseTo(expected, 9);
    });
  }

  test('MIL bit of monitor status', () => {
    expect(d.isMilOn([0x80, 0, 0, 0])).toBe(true);
    expect(d.isMilOn([0x7f, 0, 0, 0])).toBe(false);
  });
});

describe('PID table', () => {
  test('every encoder produces the declared byte count', () => {
    for (const spec of PIDS) {
      expect({ pid: spec.pid, length: spec.encode(spec.min).length }).toEqual({ pid: spec.pid, length: spec.bytes });
      expect({ pid: spec.pid, length: spec.encode(spec.max).length }).toEqual({ pid: spec.pid, length: spec.bytes });
    }
  });

  test('decode inverts encode at both range ends', () => {
    for (const spec of PIDS) {
      const resolution = (spec.max - spec.min) / (spec.bytes === 1 ? 255 : 65535);
      for (const value of [spec.min, spec.max]) {
        const decoded = spec.decode(spec.encode(value));
        expect({ pid: spec.pid, error: Math.abs(decoded - value) <= resolution }).toEqual({ pid: spec.pid, error: true });
      }
    }
  });

  test('channels are canonical and PIDs unique', () => {
    const pids = PIDS.map((spec) => spec.pid);
    expect(new Set(pids).size).toBe(pids.length);
    for (const spec of PIDS) {
      if (spec.channel !== undefined) expect(isChannelId(spec.channel)).toBe(true);
    }
  });

  test('fast class is rpm, MAP, throttle, lambda', () => {
    const fast = PIDS.filter((spec) => spec.poll === 'fast').map((spec) => spec.channel);
    expect(new Set(fast)).toEqual(new Set(['rpm', 'mapKpa', 'throttlePct', 'lambda']));
  });

  test('one PID per channel, voltage-mode wideband first', () => {
    const chosen = channelPids(new Set([0x0c, 0x24, 0x34, 0x25]));
    expect(chosen.map((spec) => spec.pid)).toEqual([0x0c, 0x24]);
  });

  test('pidSpec returns undefined for unknown PIDs', () => {
    expect(pidSpec(0x00)).toBeUndefined();
    expect(pidSpec(0x0c)?.name).toBe('Engine speed');
  });
});

describe('decodeMode01', () => {
  test('splits a multi-PID reply', () => {
    const readings = decodeMode01([0x41, 0x0c, 0x1a, 0xf8, 0x0b, 0x64, 0x11, 0xff, 0x05, 0x7b]);
    expect(readings).toEqual([
      { pid: 0x0c, value: 1726 },
      { pid: 0x0b, value: 100 },
      { pid: 0x11, value: 100 },
      { pid: 0x05, value: 83 },
    ]);
  });

  test('stops at a truncated PID', () => {
    expect(decodeMode01([0x41, 0x0d, 0x32, 0x0c, 0x1a])).toEqual([{ pid: 0x0d, value: 50 }]);
  });

  test('stops at an unknown PID', () => {
    expect(decodeMode01([0x41, 0x0d, 0x32, 0x99, 0x01, 0x0c, 0, 0])).toEqual([{ pid: 0x0d, value: 50 }]);
  });

  test('ignores other services', () => {
    expect(decodeMode01([0x43, 0x01, 0x01, 0x71])).toEqual([]);
  });
});
