/**
 * @module Fixed parts of the DBC grammar: the statement keywords, the
 * multiplex indicator of `SG_` lines and the bounds a signal must fit.
 */
import type { Token } from './tokenizer.ts';
import type { TokenReader } from './token-reader.ts';

/** Keywords whose statements end with `;` and carry nothing the monitor uses. */
export const SKIPPED_STATEMENTS = new Set([
  'EV_',
  'ENVVAR_DATA_',
  'SGTYPE_',
  'SGTYPE_VAL_',
  'SIG_GROUP_',
  'SIG_TYPE_REF_',
  'BA_DEF_SGTYPE_',
  'BA_SGTYPE_',
  'BA_DEF_REL_',
  'BA_REL_',
  'BA_DEF_DEF_REL_',
  'BU_SG_REL_',
  'BU_EV_REL_',
  'BU_BO_REL_',
  'BO_TX_BU_',
  'CAT_DEF_',
  'CAT_',
  'FILTER',
  'EV_DATA_',
]);

/** Every keyword that may start a statement at the top level. */
export const TOP_LEVEL_KEYWORDS = new Set([
  ...SKIPPED_STATEMENTS,
  'VERSION',
  'NS_',
  'BS_',
  'BU_',
  'VAL_TABLE_',
  'BO_',
  'SG_',
  'CM_',
  'BA_DEF_',
  'BA_DEF_DEF_',
  'BA_',
  'VAL_',
  'SIG_VALTYPE_',
  'SG_MUL_VAL_',
]);

/** Largest CAN FD payload, in bytes. */
export const MAX_FRAME_BYTES = 64;

/** Role of a signal in multiplexing, from its `M`, `mN` or `mNM` indicator. */
export interface MuxIndicator {
  readonly isMultiplexor: boolean;
  readonly value: number | null;
}

/** Parses a multiplex indicator; '' means not multiplexed, null means invalid. */
export function parseMuxIndicator(text: string): MuxIndicator | null {
  if (text === '') return { isMultiplexor: false, value: null };
  if (text === 'M') return { isMultiplexor: true, value: null };
  const match = /^m(\d+)(M?)$/.exec(text);
  if (!match) return null;
  return { isMultiplexor: match[2] === 'M', value: Number(match[1]) };
}

/** Fails at the offending token when a signal's bits leave a 64-byte frame. */
export function checkSignalBounds(
  reader: TokenReader,
  startBit: number,
  bitLength: number,
  byteOrder: 'little_endian' | 'big_endian',
  startToken: Token,
  orderToken: Token,
): void {
  const totalBits = MAX_FRAME_BYTES * 8;
  if (startBit >= totalBits) reader.fail(`a start bit below ${totalBits}`, startToken);
  if (byteOrder === 'little_endian') {
    if (startBit + bitLength > totalBits) {
      reader.fail(`a signal that ends within ${MAX_FRAME_BYTES} bytes`, startToken);
    }
    return;
  }
  // Motorola: the MSB sits at `startBit`; the LSB is bitLength - 1 steps
  // further in big-endian order, which must stay inside the frame.
  const msbLinear = (startBit >> 3) * 8 + (7 - (startBit & 7));
  if (msbLinear + bitLength > totalBits) {
    reader.fail(`a signal that ends within ${MAX_FRAME_BYTES} bytes`, orderToken);
  }
}
