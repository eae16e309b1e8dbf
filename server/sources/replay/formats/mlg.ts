/**
 * @module Parser for MegaLogViewer binary logs (`.mlg`, magic `MLVLG`), as
 * written by TunerStudio for Speeduino, MegaSquirt and rusEFI, in format
 * versions 1 and 2. All numbers are big-endian.
 *
 * Layout: a header (magic, version, capture time, offsets, record length,
 * field count), one descriptor per field (55 bytes in version 1, 89 in
 * version 2, which adds a 34-byte category), bit-field names, an info text,
 * then blocks. A data block is type 0, a rolling counter, a 16-bit
 * timestamp in 10 µs ticks, the field values and a check byte (the low 8
 * bits of the sum of the value bytes). A marker block is type 1, the
 * counter, the timestamp and 50 bytes of text.
 */
import { LogFormatError } from '../errors.ts';
import type { LogColumn, LogMarker, LogTable, ParseOptions } from '../log-table.ts';
import { FIELD_TYPE_SIZES, readRaw } from './mlg-fields.ts';
import { unwrapTicks, type TimeFieldSpec } from './mlg-time.ts';

/** Format id of MegaLogViewer binary logs in the dispatch table. */
export const MLG_FORMAT_ID = 'mlg';

const MAGIC = 'MLVLG';
const NAME_LENGTH = 34;
const UNITS_LENGTH = 10;
const CATEGORY_LENGTH = 34;
const MARKER_TEXT_LENGTH = 50;
const BLOCK_HEADER_LENGTH = 4;
const DATA_BLOCK = 0;
const MARKER_BLOCK = 1;


/** One field descriptor of the header. */
export interface MlgField {
  readonly type: number;
  readonly name: string;
  readonly units: string;
  readonly displayStyle: number;
  readonly scale: number;
  readonly transform: number;
  readonly digits: number;
  /** Version 2 only; '' in version 1. */
  readonly category: string;
  /** Byte offset of the value inside a record. */
  readonly offset: number;
}

/** The decoded header of an MLG file. */
export interface MlgHeader {
  readonly formatVersion: 1 | 2;
  /** Capture time, seconds since the Unix epoch. */
  readonly captureTimeS: number;
  readonly infoDataStart: number;
  readonly dataBeginIndex: number;
  readonly recordLength: number;
  readonly fields: readonly MlgField[];
  readonly bitFieldNames: readonly string[];
  readonly info: string;
}

/** Returns true when the bytes start with the MLG magic. */
export function isMlg(head: Uint8Array): boolean {
  return head.length >= 5 && latin1(head, 0, 5) === MAGIC;
}

/** Parses an MLG file into a log table with values already scaled. */
export function parseMlg(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): LogTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = parseMlgHeader(view, bytes, fileName);
  const blocks = readBlocks(view, bytes, header, fileName, options.strict === true);

  const columns: LogColumn[] = header.fields.map((field, j) => ({
    name: field.name,
    unit: field.units,
    values: blocks.columns[j],
    excludedReason: field.type >= 10 ? 'bit field of flags, not a measurement' : undefined,
  }));

  return {
    format: MLG_FORMAT_ID,
    fileName,
    timesS: blocks.timesS,
    columns,
    markers: blocks.markers,
    warnings: blocks.warnings,
    meta: {
      formatVersion: String(header.formatVersion),
      captureTime: new Date(header.captureTimeS * 1000).toISOString(),
      info: header.info,
    },
  };
}

/** Decodes and checks the header, descriptors and info text. */
export function parseMlgHeader(view: DataView, bytes: Uint8Array, fileName: string): MlgHeader {
  const fail = (byteOffset: number, problem: string): never => {
    throw new LogFormatError(fileName, { byteOffset }, problem);
  };
  if (!isMlg(bytes)) fail(0, `expected the MegaLogViewer magic "${MAGIC}"`);
  if (bytes.length < 8) {
    fail(bytes.length, 'file ends inside the header; expected the format version');
  }

  const version = view.getInt16(6);
  if (version !== 1 && version !== 2) {
    fail(6, `unsupported MLG format version ${version}; expected 1 or 2`);
  }
  const isV2 = version === 2;
  const fixedLength = isV2 ? 24 : 22;
  if (bytes.length < fixedLength) {
    fail(bytes.length, `file ends inside the ${fixedLength}-byte version ${version} header`);
  }

  const infoDataStart = isV2 ? view.getInt32(12) : view.getUint16(12);
  let at = isV2 ? 16 : 14;
  const dataBeginIndex = view.getInt32(at);
  const recordLength = view.getUint16(at + 4);
  const fieldCount = view.getUint16(at + 6);
  at += 8;

  const descriptorLength = isV2 ? 89 : 55;
  const descriptorsEnd = at + fieldCount * descriptorLength;
  if (descriptorsEnd > bytes.length) {
    fail(
      bytes.length,
      `file ends inside the descriptors of ${fieldCount} fields (need ${descriptorsEnd} bytes)`,
    );
  }
  // rusEFI writes version 2 logs without an info section and an info offset of 0.
  const hasInfo = infoDataStart !== 0;
  const isInfoMisplaced =
    hasInfo && (infoDataStart < descriptorsEnd || infoDataStart > dataBeginIndex);
  if (isInfoMisplaced || dataBeginIndex < descriptorsEnd) {
    fail(
      12,
      `invalid header offsets: info data at ${infoDataStart}, data at ${dataBeginIndex}, descriptors end at ${descriptorsEnd}`,
    );
  }
  if (dataBeginIndex > bytes.length) {
    fail(bytes.length, `file ends before the first data block at byte ${dataBeginIndex}`);
  }

  const fields = readDescriptors(view, bytes, at, fieldCount, isV2, fileName);
  const valueBytes = fields.reduce((sum, f) => sum + FIELD_TYPE_SIZES[f.type], 0);
  if (valueBytes !== recordLength) {
    fail(
      at - 4,
      `record length ${recordLength} does not match the ${valueBytes} bytes of the field descriptors`,
    );
  }

  return {
    formatVersion: version === 2 ? 2 : 1,
    captureTimeS: view.getInt32(8),
    infoDataStart,
    dataBeginIndex,
    recordLength,
    fields,
    bitFieldNames: hasInfo ? splitNulTerminated(bytes, descriptorsEnd, infoDataStart) : [],
    info: hasInfo ? cleanText(latin1(bytes, infoDataStart, dataBeginIndex)) : '',
  };
}

function readDescriptors(
  view: DataView,
  bytes: Uint8Array,
  start: number,
  count: number,
  isV2: boolean,
  fileName: string,
): MlgField[] {
  const fields: MlgField[] = [];
  let at = start;
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const type = bytes[at];
    if (FIELD_TYPE_SIZES[type] === undefined) {
      throw new LogFormatError(
        fileName,
        { byteOffset: at },
        `unknown field type ${type} in descriptor ${i}; expected 0-7 or 10-12`,
      );
    }
    // Bit fields have no scale or transform: their value is the raw integer.
    const isBitField = type >= 10;
    fields.push({
      type,
      name: cleanText(latin1(bytes, at + 1, at + 1 + NAME_LENGTH)),
      units: cleanText(latin1(bytes, at + 35, at + 35 + UNITS_LENGTH)),
      displayStyle: bytes[at + 45],
      scale: isBitField ? 1 : view.getFloat32(at + 46),
      transform: isBitField ? 0 : view.getFloat32(at + 50),
      digits: view.getInt8(at + 54),
      category: isV2 ? cleanText(latin1(bytes, at + 55, at + 55 + CATEGORY_LENGTH)) : '',
      offset,
    });
    offset += FIELD_TYPE_SIZES[type];
    at += isV2 ? 89 : 55;
  }
  return fields;
}

interface BlockData {
  timesS: Float64Array;
  columns: Float64Array[];
  markers: LogMarker[];
  warnings: string[];
}

function readBlocks(
  view: DataView,
  bytes: Uint8Array,
  header: MlgHeader,
  fileName: string,
  isStrict: boolean,
): BlockData {
  const dataBlockLength = BLOCK_HEADER_LENGTH + header.recordLength + 1;
  const capacity = Math.floor((bytes.length - header.dataBeginIndex) / dataBlockLength) + 1;
  const columns = header.fields.map(() => new Float64Array(capacity));
  const timesS = new Float64Array(capacity);
  const markers: LogMarker[] = [];
  const warnings: string[] = [];
  const clock = unwrapTicks(findTimeField(header.fields));
  const layout = recordLayout(header.fields);
  let checkFailures = 0;
  let firstCheckFailure = -1;
  let count = 0;
  let at = header.dataBeginIndex;

  const damage = (byteOffset: number, problem: string): void => {
    if (isStrict || count === 0) throw new LogFormatError(fileName, { byteOffset }, problem);
    warnings.push(
      `${fileName}: ${problem} at byte ${byteOffset}; kept the ${count} records before it`,
    );
  };

  while (at < bytes.length) {
    if (at + BLOCK_HEADER_LENGTH > bytes.length) {
      damage(at, 'file ends inside a block header');
      break;
    }
    const blockType = bytes[at];
    const counter = bytes[at + 1];
    const ticks = view.getUint16(at + 2);

    if (blockType === DATA_BLOCK) {
      if (at + dataBlockLength > bytes.length) {
        damage(
          at,
          `file ends inside a data block (need ${dataBlockLength} bytes, have ${bytes.length - at})`,
        );
        break;
      }
      const valuesAt = at + BLOCK_HEADER_LENGTH;
      const checkByte = bytes[valuesAt + header.recordLength];
      if (checksum(bytes, valuesAt, header.recordLength) !== checkByte) {
        if (isStrict) {
          throw new LogFormatError(
            fileName,
            { byteOffset: at },
            'data block check byte does not match its values',
          );
        }
        if (checkFailures++ === 0) firstCheckFailure = at;
        clock.skip(ticks, counter);
      } else {
        decodeRecord(view, valuesAt, layout, columns, count);
        timesS[count] = clock.dataTime(ticks, counter, clock.timeFieldValue(view, valuesAt));
        count++;
      }
      at += dataBlockLength;
    } else if (blockType === MARKER_BLOCK) {
      if (at + BLOCK_HEADER_LENGTH + MARKER_TEXT_LENGTH > bytes.length) {
        damage(at, 'file ends inside a marker block');
        break;
      }
      const text = cleanText(latin1(bytes, at + 4, at + 4 + MARKER_TEXT_LENGTH));
      markers.push({ timeS: clock.markerTime(ticks, counter), text });
      at += BLOCK_HEADER_LENGTH + MARKER_TEXT_LENGTH;
    } else {
      damage(at, `unknown block type ${blockType}; expected 0 (data) or 1 (marker)`);
      break;
    }
  }

  if (count === 0) {
    throw new LogFormatError(
      fileName,
      { byteOffset: header.dataBeginIndex },
      'expected data blocks after the header, found none that are intact',
    );
  }
  if (checkFailures > 0) {
    warnings.push(
      `${fileName}: skipped ${checkFailures} data blocks whose check byte did not match, ` +
        `the first at byte ${firstCheckFailure}`,
    );
  }
  warnings.push(...clock.warnings(fileName));
  return {
    timesS: timesS.slice(0, count),
    columns: columns.map((c) => c.slice(0, count)),
    markers,
    warnings,
  };
}

/** Field layout in flat typed arrays, read once per record. */
interface RecordLayout {
  readonly offsets: Int32Array;
  readonly types: Uint8Array;
  readonly scales: Float64Array;
  readonly transforms: Float64Array;
}

function recordLayout(fields: readonly MlgField[]): RecordLayout {
  return {
    offsets: Int32Array.from(fields, (f) => f.offset),
    types: Uint8Array.from(fields, (f) => f.type),
    scales: Float64Array.from(fields, (f) => f.scale),
    transforms: Float64Array.from(fields, (f) => f.transform),
  };
}

function decodeRecord(
  view: DataView,
  start: number,
  layout: RecordLayout,
  columns: Float64Array[],
  row: number,
): void {
  const { offsets, types, scales, transforms } = layout;
  for (let j = 0; j < offsets.length; j++) {
    const raw = readRaw(view, start + offsets[j], types[j]);
    columns[j][row] = (raw + transforms[j]) * scales[j];
  }
}

function findTimeField(fields: readonly MlgField[]): TimeFieldSpec | null {
  const field = fields.find((f) => f.name.trim().toLowerCase() === 'time' && f.type < 10);
  if (field === undefined) return null;
  const unit = field.units.trim().toLowerCase();
  let secondsPerUnit = 1;
  if (unit === 'ms') secondsPerUnit = 0.001;
  if (unit === 'us' || unit === 'µs') secondsPerUnit = 1e-6;
  return { ...field, secondsPerUnit };
}

function checksum(bytes: Uint8Array, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += bytes[i];
  return sum & 0xff;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end && i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

function cleanText(text: string): string {
  const nul = text.indexOf('\0');
  const cut = nul >= 0 ? text.slice(0, nul) : text;
  return cut.replace(/"/g, '').trim();
}

function splitNulTerminated(bytes: Uint8Array, start: number, end: number): string[] {
  if (end <= start) return [];
  return latin1(bytes, start, end)
    .split('\0')
    .filter((name) => name.length > 0);
}
