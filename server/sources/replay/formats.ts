/**
 * @module Dispatch table of the log and capture formats that `replay:FILE`
 * reads. Detection looks at the content (magic bytes, first lines), never
 * at the extension. Entries are tried in order, most specific first.
 */
import { LogFormatError } from './errors.ts';
import type { LogTable, ParseOptions } from './log-table.ts';
import { HALTECH_FORMAT_ID, isHaltechNsp, parseHaltechNsp } from './formats/haltech.ts';
import { MLG_FORMAT_ID, isMlg, parseMlg } from './formats/mlg.ts';
import { MSL_FORMAT_ID, isMsl, parseMsl } from './formats/msl.ts';
import { OBD_CSV_FORMAT_ID, isObdCsv, parseObdCsv } from './formats/obd-csv.ts';
import { ASC_LOG_FORMAT, CANDUMP_LOG_FORMAT } from '../can/capture-log-format.ts';

/** Bytes from the start of a file that `detect` receives. */
export const DETECT_HEAD_BYTES = 64 * 1024;

/** One readable file format. */
export interface LogFormat {
  /** Stable id, shown in the source status, such as `mlg`. */
  readonly id: string;
  readonly label: string;
  /** Usual file name endings, lower case with the dot, for messages only. */
  readonly extensions: readonly string[];
  /** Returns true when the head of a file (up to 64 KiB) is in this format. */
  detect(head: Uint8Array, fileName: string): boolean;
  /** Parses the whole file; throws a `LogFormatError` when it cannot. */
  open(bytes: Uint8Array, fileName: string, options?: ParseOptions): LogTable;
}

/**
 * Formats in detection order. CAN captures (candump `-l` `.log`, Vector
 * `.asc`, from the CAN source) sit between the ECU formats and the generic
 * CSVs, and their `open` decodes the frames with a DBC into a `LogTable` of
 * signals. Their `detect` accepts only their own line shapes, so a capture
 * never reaches the CSV parsers and a CSV never reaches them.
 */
export const LOG_FORMATS: readonly LogFormat[] = [
  {
    id: MLG_FORMAT_ID,
    label: 'MegaLogViewer binary log',
    extensions: ['.mlg'],
    detect: isMlg,
    open: parseMlg,
  },
  {
    id: HALTECH_FORMAT_ID,
    label: 'Haltech NSP CSV export',
    extensions: ['.csv'],
    detect: isHaltechNsp,
    open: parseHaltechNsp,
  },
  // Slot for CAN captures: candump `.log` and Vector `.asc`.
  CANDUMP_LOG_FORMAT,
  ASC_LOG_FORMAT,
  {
    id: MSL_FORMAT_ID,
    label: 'MegaLogViewer ASCII or TunerStudio CSV log',
    extensions: ['.msl', '.csv'],
    detect: isMsl,
    open: parseMsl,
  },
  {
    id: OBD_CSV_FORMAT_ID,
    label: 'OBD-II logger CSV',
    extensions: ['.csv'],
    detect: isObdCsv,
    open: parseObdCsv,
  },
];

/** Finds the format of a file from its first bytes, or returns null. */
export function detectLogFormat(head: Uint8Array, fileName: string): LogFormat | null {
  const slice = head.subarray(0, DETECT_HEAD_BYTES);
  return LOG_FORMATS.find((format) => format.detect(slice, fileName)) ?? null;
}

/** Detects the format of a whole file and parses it; throws when unknown. */
export function parseLogFile(
  bytes: Uint8Array,
  fileName: string,
  options?: ParseOptions,
): LogTable {
  const format = detectLogFormat(bytes, fileName);
  if (format === null) throw unknownFormatError(fileName);
  return format.open(bytes, fileName, options);
}

/** Builds the error for a file that no format recognises, listing the formats. */
export function unknownFormatError(fileName: string): LogFormatError {
  const known = LOG_FORMATS.map((f) => `${f.label} (${f.extensions.join(', ')})`).join('; ');
  return new LogFormatError(
    fileName,
    { byteOffset: 0 },
    `unknown log format; readable formats are: ${known}`,
  );
}
