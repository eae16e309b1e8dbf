/**
 * @module Pure decoders (and their inverses, for the emulator) of OBD-II
 * mode 01 data bytes, following SAE J1979 as python-OBD implements it.
 * `d` contains the data bytes after the PID byte: A = d[0], B = d[1], ...
 * Each comment gives the range the formula can produce.
 */

type Bytes = ArrayLike<number>;

const word = (d: Bytes, at = 0): number => 256 * d[at] + d[at + 1];
const byte = (value: number): number => Math.max(0, Math.min(255, Math.round(value)));
const wordBytes = (value: number): number[] => {
  const raw = Math.max(0, Math.min(65535, Math.round(value)));
  return [raw >> 8, raw & 0xff];
};

/** Decodes A·100/255: 0 to 100 %. */
export const percent = (d: Bytes): number => (d[0] * 100) / 255;
export const encodePercent = (value: number): number[] => [byte((value * 255) / 100)];

/** Decodes A − 40: −40 to 215 °C. */
export const temperature = (d: Bytes): number => d[0] - 40;
export const encodeTemperature = (value: number): number[] => [byte(value + 40)];

/** Decodes (A − 128)·100/128: −100 to 99.2 %. */
export const fuelTrim = (d: Bytes): number => ((d[0] - 128) * 100) / 128;
export const encodeFuelTrim = (value: number): number[] => [byte((value * 128) / 100 + 128)];

/** Decodes 3·A: 0 to 765 kPa gauge. */
export const fuelPressure = (d: Bytes): number => 3 * d[0];
export const encodeFuelPressure = (value: number): number[] => [byte(value / 3)];

/** Decodes A: 0 to 255 (kPa or km/h). */
export const single = (d: Bytes): number => d[0];
export const encodeSingle = (value: number): number[] => [byte(value)];

/** Decodes (256A + B)/4: 0 to 16,383.75 rpm. */
export const rpm = (d: Bytes): number => word(d) / 4;
export const encodeRpm = (value: number): number[] => wordBytes(value * 4);

/** Decodes (A − 128)/2: −64 to 63.5 ° before top dead centre. */
export const timingAdvance = (d: Bytes): number => (d[0] - 128) / 2;
export const encodeTimingAdvance = (value: number): number[] => [byte(value * 2 + 128)];

/** Decodes (256A + B)/100: 0 to 655.35 g/s. */
export const maf = (d: Bytes): number => word(d) / 100;
export const encodeMaf = (value: number): number[] => wordBytes(value * 100);

/** Decodes 256A + B: 0 to 65,535 (s, or a plain count). */
export const unsignedWord = (d: Bytes): number => word(d);
export const encodeUnsignedWord = (value: number): number[] => wordBytes(value);

/** Decodes A/200 of a narrowband O2 sensor: 0 to 1.275 V (B is its trim). */
export const narrowbandVolts = (d: Bytes): number => d[0] / 200;
export const encodeNarrowbandVolts = (value: number): number[] => [byte(value * 200), 0xff];

/** Decodes λ = 2·(256A + B)/65536 of a wideband sensor in voltage mode: 0 to < 2. */
export const widebandLambdaVoltageMode = (d: Bytes): number => (2 * word(d)) / 65536;
export const encodeWidebandLambdaVoltageMode = (value: number): number[] => [
  ...wordBytes((value * 65536) / 2),
  0x80,
  0x00,
];

/** Decodes λ = (256A + B)/32768 (wideband in current mode, and PID 44): 0 to < 2. */
export const equivalenceRatio = (d: Bytes): number => word(d) / 32768;
export const encodeEquivalenceRatio = (value: number): number[] => wordBytes(value * 32768);
export const encodeWidebandLambdaCurrentMode = (value: number): number[] => [
  ...encodeEquivalenceRatio(value),
  0x80,
  0x00,
];

/** Decodes (256A + B)/1000: 0 to 65.535 V. */
export const moduleVoltage = (d: Bytes): number => word(d) / 1000;
export const encodeModuleVoltage = (value: number): number[] => wordBytes(value * 1000);

/** Decodes (256A + B)·0.05: 0 to 3,276.75 L/h. */
export const fuelRate = (d: Bytes): number => word(d) * 0.05;
export const encodeFuelRate = (value: number): number[] => wordBytes(value / 0.05);

/** Decodes the DTC count of PID 01 (bits 0-6 of A): 0 to 127. */
export const dtcCount = (d: Bytes): number => d[0] & 0x7f;
export const encodeMonitorStatus = (count: number): number[] => [
  (count > 0 ? 0x80 : 0) | byte(Math.min(count, 127)),
  0x07,
  0xe5,
  0x00,
];

/** Returns true when PID 01 reports the malfunction indicator lamp on (bit 7 of A). */
export const isMilOn = (d: Bytes): boolean => (d[0] & 0x80) !== 0;
