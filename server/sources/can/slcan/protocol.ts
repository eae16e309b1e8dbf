/**
 * @module The Lawicel SLCAN ASCII protocol spoken by USB-CAN adapters
 * (CANable, USBtin, CANUSB): commands end with CR, the adapter replies CR
 * for success and BEL (0x07) for an error, and received frames arrive as
 * `tIIILDD..[TTTT]` (standard) or `TIIIIIIIILDD..[TTTT]` (extended) lines,
 * with `r`/`R` for remote frames and an optional millisecond timestamp
 * (0-59999, after `Z1`).
 */
import { hexDigit, setDataFrame, type CanFrame } from '../frame.ts';

/** Bit rate commands `S0` to `S8`, by bit rate in bit/s. */
export const SLCAN_BITRATE_CODES: ReadonlyMap<number, string> = new Map([
  [10_000, 'S0'],
  [20_000, 'S1'],
  [50_000, 'S2'],
  [100_000, 'S3'],
  [125_000, 'S4'],
  [250_000, 'S5'],
  [500_000, 'S6'],
  [800_000, 'S7'],
  [1_000_000, 'S8'],
]);

/** The adapter's timestamp counts milliseconds and wraps every 60 s. */
export const SLCAN_TIMESTAMP_WRAP_MS = 60_000;

/** Status flag bits of the `F` reply. */
export const SLCAN_STATUS = {
  rxFifoFull: 0x01,
  txFifoFull: 0x02,
  errorWarning: 0x04,
  dataOverrun: 0x08,
  errorPassive: 0x20,
  arbitrationLost: 0x40,
  busError: 0x80,
} as const;

/** Kind of one line (or BEL) from the adapter. */
export type SlcanLine =
  | { kind: 'frame' }
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'version'; hardware: string; software: string }
  | { kind: 'status'; flags: number }
  | { kind: 'other'; text: string };

/** Data lengths of CAN FD DLC codes 9 to 15. */
const FD_LENGTHS = [12, 16, 20, 24, 32, 48, 64];

/**
 * Classifies one adapter line (without its CR). Frame lines fill `frame`
 * with the adapter timestamp in ms (or NaN) in `frame.timeS`; malformed
 * frame lines come back as `other`.
 */
export function parseSlcanLine(text: string, frame: CanFrame): SlcanLine {
  if (text === '') return { kind: 'ok' };
  if (text === '\x07') return { kind: 'error' };
  const first = text[0];
  if ('tTrRdDbB'.includes(first)) {
    return parseFrameLine(text, frame) ? { kind: 'frame' } : { kind: 'other', text };
  }
  if (first === 'V' && text.length === 5) {
    return { kind: 'version', hardware: text.slice(1, 3), software: text.slice(3, 5) };
  }
  if (first === 'F' && text.length === 3) {
    const flags = Number.parseInt(text.slice(1), 16);
    if (Number.isInteger(flags)) return { kind: 'status', flags };
  }
  return { kind: 'other', text };
}

function parseFrameLine(text: string, frame: CanFrame): boolean {
  const type = text[0];
  const isExtended = type === 'T' || type === 'R' || type === 'D' || type === 'B';
  const isRemote = type === 'r' || type === 'R';
  const isFd = 'dDbB'.includes(type);
  const idDigits = isExtended ? 8 : 3;

  const id = readHex(text, 1, idDigits);
  const dlc = hexDigit(text.charCodeAt(1 + idDigits));
  if (id < 0 || dlc < 0 || id > (isExtended ? 0x1fffffff : 0x7ff)) return false;
  if (!isFd && dlc > 8) return false;
  const length = dlc <= 8 ? dlc : FD_LENGTHS[dlc - 9];

  const dataStart = 2 + idDigits;
  const dataChars = isRemote ? 0 : length * 2;
  const rest = text.length - dataStart - dataChars;
  if (rest !== 0 && rest !== 4) return false;

  setDataFrame(frame, Number.NaN, id, isExtended, isRemote ? Math.min(dlc, 8) : length);
  frame.isRemote = isRemote;
  frame.isFd = isFd;
  for (let k = 0; k < dataChars / 2; k++) {
    const value = readHex(text, dataStart + 2 * k, 2);
    if (value < 0) return false;
    frame.data[k] = value;
  }
  if (rest === 4) {
    const stampMs = readHex(text, dataStart + dataChars, 4);
    if (stampMs < 0 || stampMs >= SLCAN_TIMESTAMP_WRAP_MS) return false;
    frame.timeS = stampMs;
  }
  return true;
}

function readHex(text: string, from: number, digits: number): number {
  if (from + digits > text.length) return -1;
  let value = 0;
  for (let i = from; i < from + digits; i++) {
    const digit = hexDigit(text.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Formats a frame as the SLCAN transmit command (`t`, `T`, `r` or `R`) without its CR. */
export function formatSlcanFrame(
  id: number,
  isExtended: boolean,
  data: Uint8Array,
  isRemote = false,
): string {
  let type = isExtended ? 'T' : 't';
  if (isRemote) type = isExtended ? 'R' : 'r';
  const idText = id.toString(16).toUpperCase().padStart(isExtended ? 8 : 3, '0');
  const bytes = isRemote ? '' : Buffer.from(data).toString('hex').toUpperCase();
  return `${type}${idText}${data.length}${bytes}`;
}

/** Splits the adapter's byte stream into lines at CR, and reports each BEL as its own line. */
export class SlcanLineSplitter {
  private partial = '';

  /** Returns the complete lines in `chunk`; BEL becomes the string "\x07". */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let text = this.partial;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 13) {
        lines.push(text);
        text = '';
      } else if (byte === 7) {
        lines.push('\x07');
        text = '';
      } else if (byte !== 10) {
        text += String.fromCharCode(byte);
      }
    }
    // A runaway line without CR is garbage; keep memory bounded.
    this.partial = text.length > 256 ? '' : text;
    return lines;
  }
}

/** Unwraps the adapter's 60-second millisecond timestamp into a running count of seconds. */
export class SlcanClock {
  private lastMs = -1;
  private wraps = 0;

  /** Returns seconds since the first wrap, counting each backwards step as one 60 s wrap. */
  unwrap(stampMs: number): number {
    if (this.lastMs >= 0 && stampMs < this.lastMs) this.wraps++;
    this.lastMs = stampMs;
    return (this.wraps * SLCAN_TIMESTAMP_WRAP_MS + stampMs) / 1000;
  }
}
