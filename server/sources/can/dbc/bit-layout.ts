/**
 * @module Turns a signal's DBC start bit, length and byte order into byte
 * segments, computed once per signal, so decoding is a few shifts and
 * masks per byte with no per-bit loop and no BigInt.
 */
import type { DbcSignal } from './types.ts';

/**
 * A run of a signal's bits inside one payload byte: `width` bits starting
 * at bit `shift` of byte `byteIndex`, which become bits `valueBit` and up
 * of the raw value.
 */
export interface BitSegment {
  readonly byteIndex: number;
  readonly shift: number;
  readonly width: number;
  readonly valueBit: number;
}

/** Position of one signal bit: payload byte and bit inside it (0 = LSB). */
interface BitPosition {
  readonly byteIndex: number;
  readonly bit: number;
}

/**
 * Lists the payload position of each bit of `signal`, raw value LSB first.
 * Intel signals count up from the start bit; Motorola signals start at the
 * MSB and walk the sawtooth numbering (bit 7 of byte 0 is followed by bit 6,
 * ..., bit 0, then bit 7 of byte 1 which is DBC bit 15).
 */
function bitPositions(signal: DbcSignal): BitPosition[] {
  const positions: BitPosition[] = [];
  if (signal.byteOrder === 'little_endian') {
    for (let k = 0; k < signal.bitLength; k++) {
      const linear = signal.startBit + k;
      positions.push({ byteIndex: linear >> 3, bit: linear & 7 });
    }
    return positions;
  }

  let dbcBit = signal.startBit;
  for (let k = 0; k < signal.bitLength; k++) {
    positions.push({ byteIndex: dbcBit >> 3, bit: dbcBit & 7 });
    dbcBit = (dbcBit & 7) === 0 ? dbcBit + 15 : dbcBit - 1;
  }
  return positions.reverse();
}

/**
 * Groups a signal's bits into per-byte segments. A segment never crosses
 * raw-value bit 32, so a value longer than 53 bits can be assembled from a
 * low and a high 32-bit word without losing bits.
 */
export function bitSegments(signal: DbcSignal): BitSegment[] {
  const segments: BitSegment[] = [];
  const positions = bitPositions(signal);
  let k = 0;
  while (k < positions.length) {
    const first = positions[k];
    let width = 1;
    while (
      k + width < positions.length &&
      k + width !== 32 &&
      positions[k + width].byteIndex === first.byteIndex &&
      positions[k + width].bit === first.bit + width
    ) {
      width++;
    }
    segments.push({ byteIndex: first.byteIndex, shift: first.bit, width, valueBit: k });
    k += width;
  }
  return segments;
}

/** Returns the number of payload bytes a frame needs to hold every bit of the signal. */
export function bytesNeeded(segments: readonly BitSegment[]): number {
  let last = 0;
  for (const segment of segments) last = Math.max(last, segment.byteIndex);
  return last + 1;
}
