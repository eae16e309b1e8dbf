/**
 * @module The OBD-II mode 01 PIDs the monitor reads, as data: number,
 * name, data byte count, decoder and its inverse, unit, range, the
 * canonical channel it feeds and how often it is worth polling.
 */
import type { ChannelId } from '../../domain/channels.ts';
import * as d from './decoders.ts';

/** How often a PID is polled: every round, about twice a second, or about every 2 s. */
export type PollClass = 'fast' | 'medium' | 'slow';

/** One mode 01 PID. */
export interface PidSpec {
  readonly pid: number;
  readonly name: string;
  /** Data bytes after the PID byte. */
  readonly bytes: number;
  readonly decode: (data: ArrayLike<number>) => number;
  /** Inverse of `decode`, used by the emulator; clamps to the encodable range. */
  readonly encode: (value: number) => number[];
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Canonical channel fed by the value; absent for PIDs kept only in the status. */
  readonly channel?: ChannelId;
  readonly poll: PollClass;
}

type Row = [number, string, number, PidSpec['decode'], PidSpec['encode'], string, number, number, ChannelId | null, PollClass];

const O2_NARROWBAND: Row[] = [0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b].map((pid, i) => [
  pid, `O2 sensor ${i + 1} voltage (narrowband)`, 2, d.narrowbandVolts, d.encodeNarrowbandVolts,
  'V', 0, 1.275, null, 'slow',
]);

// Wideband B1S1 (0x24 and 0x34) feeds the lambda channel; the other sensors stay in the status.
const O2_WIDEBAND_VOLTAGE: Row[] = [0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b].map((pid, i) => [
  pid, `O2 sensor ${i + 1} lambda (wideband, voltage)`, 4, d.widebandLambdaVoltageMode,
  d.encodeWidebandLambdaVoltageMode, 'lambda', 0, 2, i === 0 ? 'lambda' : null, i === 0 ? 'fast' : 'slow',
]);

const O2_WIDEBAND_CURRENT: Row[] = [0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b].map((pid, i) => [
  pid, `O2 sensor ${i + 1} lambda (wideband, current)`, 4, d.equivalenceRatio,
  d.encodeWidebandLambdaCurrentMode, 'lambda', 0, 2, i === 0 ? 'lambda' : null, i === 0 ? 'fast' : 'slow',
]);

// prettier-ignore
const ROWS: Row[] = [
  [0x01, 'Monitor status (DTC count)', 4, d.dtcCount, d.encodeMonitorStatus, 'count', 0, 127, null, 'slow'],
  [0x04, 'Calculated engine load', 1, d.percent, d.encodePercent, '%', 0, 100, 'engineLoadPct', 'medium'],
  [0x05, 'Coolant temperature', 1, d.temperature, d.encodeTemperature, '°C', -40, 215, 'coolantC', 'slow'],
  [0x06, 'Short-term fuel trim bank 1', 1, d.fuelTrim, d.encodeFuelTrim, '%', -100, 99.2, 'stftPct', 'medium'],
  [0x07, 'Long-term fuel trim bank 1', 1, d.fuelTrim, d.encodeFuelTrim, '%', -100, 99.2, 'ltftPct', 'slow'],
  [0x08, 'Short-term fuel trim bank 2', 1, d.fuelTrim, d.encodeFuelTrim, '%', -100, 99.2, null, 'slow'],
  [0x09, 'Long-term fuel trim bank 2', 1, d.fuelTrim, d.encodeFuelTrim, '%', -100, 99.2, null, 'slow'],
  [0x0a, 'Fuel pressure (gauge)', 1, d.fuelPressure, d.encodeFuelPressure, 'kPa gauge', 0, 765, 'fuelPressureKpa', 'slow'],
  [0x0b, 'Intake manifold absolute pressure', 1, d.single, d.encodeSingle, 'kPa', 0, 255, 'mapKpa', 'fast'],
  [0x0c, 'Engine speed', 2, d.rpm, d.encodeRpm, 'rpm', 0, 16383.75, 'rpm', 'fast'],
  [0x0d, 'Vehicle speed', 1, d.single, d.encodeSingle, 'km/h', 0, 255, 'speedKmh', 'medium'],
  [0x0e, 'Timing advance', 1, d.timingAdvance, d.encodeTimingAdvance, 'deg', -64, 63.5, 'ignitionAdvanceDeg', 'medium'],
  [0x0f, 'Intake air temperature', 1, d.temperature, d.encodeTemperature, '°C', -40, 215, 'iatC', 'slow'],
  [0x10, 'Mass air flow', 2, d.maf, d.encodeMaf, 'g/s', 0, 655.35, 'mafGs', 'medium'],
  [0x11, 'Throttle position', 1, d.percent, d.encodePercent, '%', 0, 100, 'throttlePct', 'fast'],
  ...O2_NARROWBAND,
  [0x1f, 'Run time since engine start', 2, d.unsignedWord, d.encodeUnsignedWord, 's', 0, 65535, 'runTimeS', 'slow'],
  ...O2_WIDEBAND_VOLTAGE,
  [0x33, 'Barometric pressure', 1, d.single, d.encodeSingle, 'kPa', 0, 255, 'baroKpa', 'slow'],
  ...O2_WIDEBAND_CURRENT,
  [0x42, 'Control module voltage', 2, d.moduleVoltage, d.encodeModuleVoltage, 'V', 0, 65.535, 'batteryV', 'slow'],
  [0x44, 'Commanded equivalence ratio', 2, d.equivalenceRatio, d.encodeEquivalenceRatio, 'lambda', 0, 2, 'lambdaTarget', 'medium'],
  [0x46, 'Ambient air temperature', 1, d.temperature, d.encodeTemperature, '°C', -40, 215, 'ambientC', 'slow'],
  [0x5c, 'Engine oil temperature', 1, d.temperature, d.encodeTemperature, '°C', -40, 215, 'oilTempC', 'slow'],
  [0x5e, 'Engine fuel rate', 2, d.fuelRate, d.encodeFuelRate, 'L/h', 0, 3276.75, 'fuelRateLh', 'slow'],
];

/** Every PID the monitor reads, by ascending number. */
export const PIDS: readonly PidSpec[] = ROWS.map(
  ([pid, name, bytes, decode, encode, unit, min, max, channel, poll]) => ({
    pid,
    name,
    bytes,
    decode,
    encode,
    unit,
    min,
    max,
    ...(channel === null ? {} : { channel }),
    poll,
  }),
).sort((a, b) => a.pid - b.pid);

const BY_PID = new Map(PIDS.map((spec) => [spec.pid, spec]));

/** Returns the spec of a mode 01 PID, or undefined when the monitor does not read it. */
export function pidSpec(pid: number): PidSpec | undefined {
  return BY_PID.get(pid);
}

/** Formats a PID as two upper-case hex digits, as sent to the adapter. */
export function pidHex(pid: number): string {
  return pid.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Returns the PIDs whose values feed canonical channels, keeping one
 * source per channel (the wideband in voltage mode wins over current mode
 * when an ECU supports both).
 */
export function channelPids(supported: ReadonlySet<number>): PidSpec[] {
  const seen = new Set<string>();
  const chosen: PidSpec[] = [];
  for (const spec of PIDS) {
    if (spec.channel === undefined || !supported.has(spec.pid) || seen.has(spec.channel)) continue;
    seen.add(spec.channel);
    chosen.push(spec);
  }
  return chosen;
}

/** One decoded PID value. */
export interface PidReading {
  readonly pid: number;
  readonly value: number;
}

/**
 * Decodes a mode 01 reply (0x41, then PID and data bytes, repeated for a
 * multi-PID request). Stops at the first PID the table does not know or
 * whose data is cut short, because the length of what follows is unknown.
 */
export function decodeMode01(data: ArrayLike<number>): PidReading[] {
  const readings: PidReading[] = [];
  if (data[0] !== 0x41) return readings;

  let at = 1;
  while (at < data.length) {
    const spec = pidSpec(data[at]);
    if (spec === undefined || at + 1 + spec.bytes > data.length) break;
    const bytes = Array.prototype.slice.call(data, at + 1, at + 1 + spec.bytes) as number[];
    readings.push({ pid: spec.pid, value: spec.decode(bytes) });
    at += 1 + spec.bytes;
  }
  return readings;
}
