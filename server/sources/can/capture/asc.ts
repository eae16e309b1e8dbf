/**
 * @module Reads Vector ASC captures: a header (`date`, `base hex|dec
 * timestamps absolute|relative`), then `Begin Triggerblock`, then event
 * lines such as `0.015 1 1F334455x Rx d 8 01 02 ...`, `... Rx r 4`,
 * `... ErrorFrame` and `CANFD 1 Rx 100x ...`, up to `End TriggerBlock`.
 * Lines that are not CAN frames (events, comments, statistics) are skipped.
 */
import { CaptureFormatError } from '../errors.ts';
import { setDataFrame, MAX_PAYLOAD_BYTES, type CanFrame, type FrameReader } from '../frame.ts';

/** Returns true when the text looks like a Vector ASC capture. */
export function isAscText(head: string): boolean {
  return /^\s*(base (hex|dec)\s+timestamps|Begin Triggerblock)/im.test(head);
}

/** Data lengths of CAN FD DLC codes 9 to 15. */
const FD_LENGTHS = [12, 16, 20, 24, 32, 48, 64];

interface AscState {
  radix: 16 | 10;
  isRelative: boolean;
  previousTimeS: number;
}

/**
 * Creates a reader over ASC text. A CAN line that cannot be read throws
 * `CaptureFormatError` with the file and line.
 */
export function readAsc(text: string, file: string): FrameReader {
  const lines = text.split('\n');
  const state: AscState = { radix: 16, isRelative: false, previousTimeS: 0 };
  let index = 0;

  const next = (frame: CanFrame): boolean => {
    while (index < lines.length) {
      const lineNumber = index + 1;
      const fields = lines[index++].trim().split(/\s+/);
      if (readHeader(fields, state)) continue;
      if (parseEvent(fields, state, frame, file, lineNumber)) return true;
    }
    return false;
  };
  return { next };
}

function readHeader(fields: string[], state: AscState): boolean {
  if (fields[0] !== 'base') return false;
  state.radix = fields[1] === 'dec' ? 10 : 16;
  state.isRelative = fields[3] === 'relative';
  return true;
}

function parseEvent(
  fields: string[],
  state: AscState,
  frame: CanFrame,
  file: string,
  line: number,
): boolean {
  const stamp = Number(fields[0]);
  if (fields.length < 3 || !/^\d/.test(fields[0]) || !Number.isFinite(stamp)) return false;
  const timeS = state.isRelative ? state.previousTimeS + stamp : stamp;
  state.previousTimeS = timeS;

  if (fields[1] === 'CANFD') return parseFdEvent(fields, timeS, state, frame, file, line);
  if (!/^\d+$/.test(fields[1])) return false;
  frame.channel = fields[1];

  if (fields[2] === 'ErrorFrame') {
    setDataFrame(frame, timeS, 0, false, 0);
    frame.isError = true;
    return true;
  }
  const id = parseId(fields[2], state.radix);
  if (id === null) return false;
  const kind = fields[4];
  if (kind !== 'd' && kind !== 'r') return false;

  const fail = failer(file, line, fields);
  setDataFrame(frame, timeS, id.id, id.isExtended, 0);
  const dlc = Number.parseInt(fields[5] ?? '0', 16);
  if (!Number.isInteger(dlc) || dlc < 0 || dlc > 15) fail('invalid DLC');
  if (kind === 'r') {
    frame.isRemote = true;
    frame.length = Math.min(dlc, 8);
    return true;
  }
  frame.length = readBytes(fields, 6, Math.min(dlc, 8), frame.data, state.radix, fail);
  return true;
}

// `CANFD <ch> <Rx|Tx> <id>[x] [name] <brs> <esi> <dlc> <length> <bytes...>`:
// the optional symbolic name is found by counting back from the first field
// that can be a DLC followed by a matching data length.
function parseFdEvent(
  fields: string[],
  timeS: number,
  state: AscState,
  frame: CanFrame,
  file: string,
  line: number,
): boolean {
  const id = parseId(fields[4] ?? '', state.radix);
  if (id === null) return false;
  const fail = failer(file, line, fields);
  const at = fields[5] !== undefined && /^[01]$/.test(fields[5]) ? 5 : 6;
  const dlc = Number.parseInt(fields[at + 2] ?? '', 16);
  const length = Number.parseInt(fields[at + 3] ?? '', 10);
  if (!Number.isInteger(dlc) || !Number.isInteger(length) || length !== fdLength(dlc)) {
    fail('invalid CAN FD DLC or data length');
  }
  setDataFrame(frame, timeS, id.id, id.isExtended, 0);
  frame.channel = fields[2];
  frame.isFd = true;
  frame.length = readBytes(fields, at + 4, length, frame.data, state.radix, fail);
  return true;
}

/** A data byte in `base hex` captures: Vector writes exactly two hex digits. */
const HEX_BYTE = /^[0-9A-Fa-f]{2}$/;
/** A data byte in `base dec` captures. */
const DECIMAL_BYTE = /^\d{1,3}$/;

function fdLength(dlc: number): number {
  return dlc <= 8 ? dlc : FD_LENGTHS[dlc - 9] ?? -1;
}

function parseId(text: string, radix: number): { id: number; isExtended: boolean } | null {
  const isExtended = text.endsWith('x') || text.endsWith('X');
  const digits = isExtended ? text.slice(0, -1) : text;
  const pattern = radix === 16 ? /^[0-9A-Fa-f]{1,8}$/ : /^\d{1,10}$/;
  if (!pattern.test(digits)) return null;
  const id = Number.parseInt(digits, radix);
  if (id > (isExtended ? 0x1fffffff : 0x7ff)) return null;
  return { id, isExtended };
}

function readBytes(
  fields: string[],
  from: number,
  count: number,
  data: Uint8Array,
  radix: number,
  fail: (detail: string) => never,
): number {
  if (count > MAX_PAYLOAD_BYTES) fail(`payload over ${MAX_PAYLOAD_BYTES} bytes`);
  // parseInt alone reads "2G" as 2 and "0x3" as 3: a damaged byte would
  // decode as a plausible wrong value, so the whole field must match.
  const pattern = radix === 16 ? HEX_BYTE : DECIMAL_BYTE;
  for (let k = 0; k < count; k++) {
    const text = fields[from + k];
    const value = text !== undefined && pattern.test(text) ? Number.parseInt(text, radix) : NaN;
    if (!(value <= 255)) {
      const shown = text === undefined ? 'missing' : `"${text.slice(0, 8)}"`;
      fail(`data byte ${k + 1} of ${count} is ${shown}, not ${radix === 16 ? 'two hex digits' : 'a number 0-255'}`);
    }
    data[k] = value;
  }
  return count;
}

function failer(file: string, line: number, fields: string[]): (detail: string) => never {
  return (detail: string): never => {
    throw new CaptureFormatError(
      file,
      line,
      `${detail} in ASC line "${fields.join(' ').slice(0, 80)}"; ` +
        'expected "<time> <channel> <id>[x] Rx d <dlc> <bytes>"',
    );
  };
}
