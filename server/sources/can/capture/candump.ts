/**
 * @module Reads candump log files (`candump -l`, also written by python-can
 * and can-utils' `asc2log`): `(1544106679.432583) can0 562#122DF953813CA2`.
 * Extended ids have 8 hex digits, `ID#R` is a remote frame, `ID##F...` a
 * CAN FD frame with a flags nibble, and ids with bit 29 set are error frames.
 * A trailing direction flag (` R` or ` T`, from python-can) is ignored.
 */
import { CaptureFormatError } from '../errors.ts';
import { hexDigit, setDataFrame, MAX_PAYLOAD_BYTES, type CanFrame, type FrameReader } from '../frame.ts';

/** SocketCAN flag of an error frame id (`CAN_ERR_FLAG`). */
const ERROR_FLAG = 0x20000000;
const EXTENDED_ID_MAX = 0x1fffffff;
/** Largest payload of a classic CAN frame, written with a single '#'. */
const CLASSIC_PAYLOAD_BYTES = 8;

/** Returns true when the text looks like a candump log. */
export function isCandumpText(head: string): boolean {
  const line = head.split('\n').find((l) => l.trim() !== '') ?? '';
  return /^\s*\(\d+(\.\d+)?\)\s+\S+\s+[0-9A-Fa-f]{1,8}#/.test(line);
}

/**
 * Creates a reader over candump text. Blank lines are skipped; a line that
 * is not a frame throws `CaptureFormatError` with the file and line.
 */
export function readCandump(text: string, file: string): FrameReader {
  let position = 0;
  let line = 0;

  const next = (frame: CanFrame): boolean => {
    while (position < text.length) {
      let end = text.indexOf('\n', position);
      if (end < 0) end = text.length;
      const start = position;
      position = end + 1;
      line++;
      if (isBlank(text, start, end)) continue;
      const problem = parseLine(text, start, end, frame);
      if (problem !== null) {
        const shown = text.slice(start, Math.min(end, start + 80)).trim();
        throw new CaptureFormatError(
          file,
          line,
          `${problem} in candump line "${shown}"; expected "(seconds) interface ID#DATA"`,
        );
      }
      return true;
    }
    return false;
  };
  return { next };
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

// Returns null when the line filled `frame`, or what is wrong with it. No
// closure or substring is made per line: this runs once per frame.
function parseLine(text: string, start: number, end: number, frame: CanFrame): string | null {
  let i = start;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 40) return 'missing "(" before the timestamp';
  const close = text.indexOf(')', i);
  if (close < 0 || close > end) return 'missing ")" after the timestamp';
  const timeS = parseSeconds(text, i + 1, close);
  if (Number.isNaN(timeS)) return 'invalid timestamp';

  i = close + 1;
  while (text.charCodeAt(i) === 32) i++;
  const channelStart = i;
  while (i < end && text.charCodeAt(i) !== 32) i++;
  // Captures repeat a few interface names; reuse the string when it matches.
  const previous = frame.channel;
  if (previous.length !== i - channelStart || !text.startsWith(previous, channelStart)) {
    frame.channel = text.slice(channelStart, i);
  }
  while (text.charCodeAt(i) === 32) i++;

  const idStart = i;
  let id = 0;
  for (let digit = hexDigit(text.charCodeAt(i)); digit >= 0; digit = hexDigit(text.charCodeAt(i))) {
    id = id * 16 + digit;
    i++;
  }
  const idDigits = i - idStart;
  if (idDigits === 0 || idDigits > 8 || text.charCodeAt(i) !== 35) return 'invalid CAN id';
  i++;

  const isErrorFrame = idDigits === 8 && id >= ERROR_FLAG && id < 0x40000000;
  const isExtended = idDigits === 8;
  if (isExtended && !isErrorFrame && id > EXTENDED_ID_MAX) return 'CAN id above 0x1FFFFFFF';
  if (!isExtended && id > 0x7ff) return 'standard CAN id above 0x7FF';
  setDataFrame(frame, timeS, isErrorFrame ? 0 : id, isExtended && !isErrorFrame, 0);

  const marker = text.charCodeAt(i);
  if (marker === 82 || marker === 114) {
    frame.isRemote = true;
    const dlc = hexDigit(text.charCodeAt(i + 1));
    frame.length = dlc >= 0 && dlc <= 8 ? dlc : 0;
    return null;
  }
  if (marker === 35) {
    frame.isFd = true;
    if (hexDigit(text.charCodeAt(i + 1)) < 0) return 'missing CAN FD flags nibble';
    i += 2;
  }
  const length = readPayload(text, i, end, frame.data);
  if (length === INVALID_HEX) return 'invalid payload hex';
  if (length === TOO_LONG) return `payload over ${MAX_PAYLOAD_BYTES} bytes`;
  if (!frame.isFd && length > CLASSIC_PAYLOAD_BYTES) {
    return `classic CAN payload of ${length} bytes, over ${CLASSIC_PAYLOAD_BYTES} (CAN FD frames are written ID##FDATA)`;
  }
  frame.length = length;
  if (isErrorFrame) {
    frame.isError = true;
    frame.errorClass = id & ~ERROR_FLAG;
  }
  return null;
}

/** Parses `seconds.fraction` between `from` and `to`; NaN when it is not that. */
function parseSeconds(text: string, from: number, to: number): number {
  let whole = 0;
  let i = from;
  for (; i < to && text.charCodeAt(i) !== 46; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    whole = whole * 10 + digit;
  }
  if (i === from) return Number.NaN;
  let fraction = 0;
  let scale = 1;
  for (i++; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    fraction = fraction * 10 + digit;
    scale *= 10;
  }
  return whole + fraction / scale;
}

const INVALID_HEX = -1;
const TOO_LONG = -2;

/** Reads payload hex into `data`; returns its length, `INVALID_HEX` or `TOO_LONG`. */
function readPayload(text: string, from: number, end: number, data: Uint8Array): number {
  let i = from;
  let length = 0;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 13) break;
    // can-utils accepts a '.' between bytes.
    if (code === 46) {
      i++;
      continue;
    }
    const high = hexDigit(code);
    const low = hexDigit(text.charCodeAt(i + 1));
    if (high < 0 || low < 0 || i + 1 >= end) return INVALID_HEX;
    if (length >= MAX_PAYLOAD_BYTES) return TOO_LONG;
    data[length++] = high * 16 + low;
    i += 2;
  }
  return length;
}
