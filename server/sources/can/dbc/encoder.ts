/**
 * @module Builds CAN payloads from physical signal values with a DBC
 * message: the inverse of the decoder, for tests and for sending frames.
 */
import { CanError } from '../errors.ts';
import { bitSegments } from './bit-layout.ts';
import type { DbcMessage, DbcSignal } from './types.ts';

const TWO_POW_32 = 2 ** 32;

/**
 * Encodes `values` (physical, by signal name) into a payload of the
 * message's length. Signals left out stay 0. Throws a `CanError` naming the
 * signal when a value is unknown, not finite or outside the signal's bits.
 */
export function encodeMessage(
  message: DbcMessage,
  values: Readonly<Record<string, number>>,
): Uint8Array {
  const data = new Uint8Array(message.length);
  for (const [name, value] of Object.entries(values)) {
    const signal = message.signals.find((s) => s.name === name);
    if (!signal) throw new CanError(`Message ${message.name} has no signal ${name}.`);
    writeSignal(data, signal, value);
  }
  return data;
}

/** Writes one physical value into `data` at the signal's bits. */
export function writeSignal(data: Uint8Array, signal: DbcSignal, physical: number): void {
  if (!Number.isFinite(physical)) {
    throw new CanError(`Signal ${signal.name} needs a finite value, got ${physical}.`);
  }
  const [low, high] = rawWords(signal, physical);
  for (const segment of bitSegments(signal)) {
    const isHigh = segment.valueBit >= 32;
    const word = isHigh ? high : low;
    const bitInWord = isHigh ? segment.valueBit - 32 : segment.valueBit;
    const part = Math.floor(word / 2 ** bitInWord) % 2 ** segment.width;
    const mask = ((1 << segment.width) - 1) << segment.shift;
    if (segment.byteIndex >= data.length) {
      throw new CanError(
        `Signal ${signal.name} reaches byte ${segment.byteIndex}, beyond the ${data.length}-byte payload.`,
      );
    }
    data[segment.byteIndex] = (data[segment.byteIndex] & ~mask) | (part << segment.shift);
  }
}

// Returns the raw bits as unsigned low and high 32-bit words.
function rawWords(signal: DbcSignal, physical: number): [number, number] {
  const scaled = (physical - signal.offset) / signal.factor;
  if (signal.valueType !== 'integer') return floatWords(signal, scaled);

  const raw = Math.round(scaled);
  const min = signal.isSigned ? -(2 ** (signal.bitLength - 1)) : 0;
  const max = signal.isSigned ? 2 ** (signal.bitLength - 1) - 1 : 2 ** signal.bitLength - 1;
  if (raw < min || raw > max) {
    throw new CanError(
      `Signal ${signal.name} value ${physical} is raw ${raw}, outside ${min} to ${max}.`,
    );
  }
  if (signal.bitLength <= 32) return [raw < 0 ? raw + 2 ** signal.bitLength : raw, 0];

  // Two's complement per word: adding 2^64 to a negative number would lose
  // its low bits in a double.
  const low = ((raw % TWO_POW_32) + TWO_POW_32) % TWO_POW_32;
  let high = Math.floor(raw / TWO_POW_32);
  if (high < 0) high += 2 ** (signal.bitLength - 32);
  return [low, high];
}

function floatWords(signal: DbcSignal, value: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  if (signal.valueType === 'float32') {
    view.setFloat32(0, value);
    return [view.getUint32(0), 0];
  }
  view.setFloat64(0, value);
  return [view.getUint32(4), view.getUint32(0)];
}
