/**
 * @module One DBC message compiled for fast decoding: every signal's byte
 * segments, scaling and multiplexor condition sit in flat typed arrays, and
 * `decode` fills reused output arrays without allocating.
 */
import { bitSegments, bytesNeeded } from './bit-layout.ts';
import type { DbcMessage, DbcSignal } from './types.ts';

const KIND_INTEGER = 0;
const KIND_WIDE_INTEGER = 1;
const KIND_FLOAT32 = 2;
const KIND_FLOAT64 = 3;
const TWO_POW_32 = 2 ** 32;

/** Returns 2^n as a number, exact for every n a CAN signal can have. */
function pow2(n: number): number {
  return 2 ** n;
}

/** A message whose signals decode from a payload in one pass. */
export class CompiledMessage {
  readonly signals: readonly DbcSignal[];
  /** Physical values of the last decoded frame, by signal index. */
  readonly values: Float64Array;
  /** Raw (unscaled) values of the last decoded frame, by signal index. */
  readonly rawValues: Float64Array;
  /** 1 where the signal was in the last frame: selected by its multiplexor and inside the payload. */
  readonly isPresent: Uint8Array;

  private readonly segmentStart: Int32Array;
  private readonly segmentByte: Int32Array;
  private readonly segmentShift: Int32Array;
  private readonly segmentMask: Int32Array;
  private readonly segmentScale: Float64Array;
  private readonly segmentIsHigh: Uint8Array;
  private readonly kind: Uint8Array;
  private readonly isSigned: Uint8Array;
  private readonly signBound: Float64Array;
  private readonly valueRange: Float64Array;
  private readonly factor: Float64Array;
  private readonly offset: Float64Array;
  private readonly bytesRequired: Int32Array;
  private readonly multiplexerIndex: Int32Array;
  private readonly rangeStart: Int32Array;
  private readonly rangeMin: Float64Array;
  private readonly rangeMax: Float64Array;
  /** Signal indices with every multiplexor before the signals it selects. */
  private readonly order: Int32Array;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(readonly message: DbcMessage) {
    const signals = message.signals;
    const count = signals.length;
    this.signals = signals;
    this.values = new Float64Array(count);
    this.rawValues = new Float64Array(count);
    this.isPresent = new Uint8Array(count);

    const layouts = signals.map(bitSegments);
    const segmentCount = layouts.reduce((sum, l) => sum + l.length, 0);
    this.segmentStart = new Int32Array(count + 1);
    this.segmentByte = new Int32Array(segmentCount);
    this.segmentShift = new Int32Array(segmentCount);
    this.segmentMask = new Int32Array(segmentCount);
    this.segmentScale = new Float64Array(segmentCount);
    this.segmentIsHigh = new Uint8Array(segmentCount);
    this.kind = new Uint8Array(count);
    this.isSigned = new Uint8Array(count);
    this.signBound = new Float64Array(count);
    this.valueRange = new Float64Array(count);
    this.factor = new Float64Array(count);
    this.offset = new Float64Array(count);
    this.bytesRequired = new Int32Array(count);
    this.multiplexerIndex = new Int32Array(count);
    this.rangeStart = new Int32Array(count + 1);

    let s = 0;
    for (let i = 0; i < count; i++) {
      const signal = signals[i];
      const isWide = signal.valueType !== 'integer' || signal.bitLength > 53;
      this.segmentStart[i] = s;
      for (const segment of layouts[i]) {
        const isHigh = isWide && segment.valueBit >= 32;
        this.segmentByte[s] = segment.byteIndex;
        this.segmentShift[s] = segment.shift;
        this.segmentMask[s] = (1 << segment.width) - 1;
        this.segmentScale[s] = pow2(isHigh ? segment.valueBit - 32 : segment.valueBit);
        this.segmentIsHigh[s] = isHigh ? 1 : 0;
        s++;
      }
      this.kind[i] = kindOf(signal);
      this.isSigned[i] = signal.isSigned ? 1 : 0;
      const valueBits = isWide ? Math.max(signal.bitLength - 32, 1) : signal.bitLength;
      this.signBound[i] = pow2(valueBits - 1);
      this.valueRange[i] = pow2(valueBits);
      this.factor[i] = signal.factor;
      this.offset[i] = signal.offset;
      this.bytesRequired[i] = bytesNeeded(layouts[i]);
      this.multiplexerIndex[i] = signals.findIndex((m) => m.name === signal.multiplexerName);
    }
    this.segmentStart[count] = s;

    const ranges = signals.flatMap((signal) => signal.muxRanges ?? []);
    this.rangeMin = new Float64Array(ranges.map((r) => r.min));
    this.rangeMax = new Float64Array(ranges.map((r) => r.max));
    let r = 0;
    for (let i = 0; i < count; i++) {
      this.rangeStart[i] = r;
      r += signals[i].muxRanges?.length ?? 0;
    }
    this.rangeStart[count] = r;
    this.order = new Int32Array(evaluationOrder(this.multiplexerIndex));
  }

  /**
   * Decodes the first `length` bytes of `data` into `values`, `rawValues`
   * and `isPresent`; returns how many signals are present. Signals that do
   * not fit in `length` bytes or whose multiplexor selects other signals
   * are marked absent. Never throws.
   */
  decode(data: Uint8Array, length: number): number {
    let presentCount = 0;
    const order = this.order;
    for (let n = 0; n < order.length; n++) {
      const i = order[n];
      if (!this.isSelected(i, length)) {
        this.isPresent[i] = 0;
        continue;
      }
      const raw = this.extract(i, data);
      this.rawValues[i] = raw;
      this.values[i] = raw * this.factor[i] + this.offset[i];
      this.isPresent[i] = 1;
      presentCount++;
    }
    return presentCount;
  }

  private isSelected(i: number, length: number): boolean {
    if (this.bytesRequired[i] > length) return false;
    const parent = this.multiplexerIndex[i];
    if (parent < 0) return true;
    if (this.isPresent[parent] === 0) return false;
    const selector = this.rawValues[parent];
    for (let r = this.rangeStart[i]; r < this.rangeStart[i + 1]; r++) {
      if (selector >= this.rangeMin[r] && selector <= this.rangeMax[r]) return true;
    }
    return false;
  }

  private extract(i: number, data: Uint8Array): number {
    const end = this.segmentStart[i + 1];
    if (this.kind[i] === KIND_INTEGER) {
      let raw = 0;
      for (let s = this.segmentStart[i]; s < end; s++) {
        raw += ((data[this.segmentByte[s]] >>> this.segmentShift[s]) & this.segmentMask[s]) *
          this.segmentScale[s];
      }
      if (this.isSigned[i] === 1 && raw >= this.signBound[i]) raw -= this.valueRange[i];
      return raw;
    }
    return this.extractWide(i, data, end);
  }

  // Values over 53 bits and floats: assemble a low and a high 32-bit word.
  private extractWide(i: number, data: Uint8Array, end: number): number {
    let low = 0;
    let high = 0;
    for (let s = this.segmentStart[i]; s < end; s++) {
      const part =
        ((data[this.segmentByte[s]] >>> this.segmentShift[s]) & this.segmentMask[s]) *
        this.segmentScale[s];
      if (this.segmentIsHigh[s] === 1) high += part;
      else low += part;
    }
    const kind = this.kind[i];
    if (kind === KIND_FLOAT32) {
      this.scratch.setUint32(0, low);
      return this.scratch.getFloat32(0);
    }
    if (kind === KIND_FLOAT64) {
      this.scratch.setUint32(0, high);
      this.scratch.setUint32(4, low);
      return this.scratch.getFloat64(0);
    }
    if (this.isSigned[i] === 1 && high >= this.signBound[i]) high -= this.valueRange[i];
    return high * TWO_POW_32 + low;
  }
}

function kindOf(signal: DbcSignal): number {
  if (signal.valueType === 'float32') return KIND_FLOAT32;
  if (signal.valueType === 'float64') return KIND_FLOAT64;
  return signal.bitLength > 53 ? KIND_WIDE_INTEGER : KIND_INTEGER;
}

/** Orders signals so that every multiplexor comes before what it selects. */
function evaluationOrder(multiplexerIndex: Int32Array): number[] {
  const depth = (i: number): number => {
    let d = 0;
    for (let p = multiplexerIndex[i]; p >= 0; p = multiplexerIndex[p]) d++;
    return d;
  };
  const indices = Array.from(multiplexerIndex.keys());
  const depths = indices.map(depth);
  return indices.sort((a, b) => depths[a] - depths[b] || a - b);
}
