/**
 * @module DBC support: parse a file, decode frames, encode payloads.
 */
import { readFileSync, statSync } from 'node:fs';
import { CanError } from '../errors.ts';
import { parseDbc } from './parser.ts';
import type { DbcDatabase } from './types.ts';

export { parseDbc } from './parser.ts';
export { DbcDecoder, type DecoderCounters } from './decoder.ts';
export { CompiledMessage } from './compiled-message.ts';
export { encodeMessage, writeSignal } from './encoder.ts';
export * from './types.ts';

/**
 * Largest DBC file read, in bytes. Real DBC files of whole vehicles stay
 * under a few MiB; the limit keeps a wrong path (a log, a disk image) from
 * being read into memory whole.
 */
export const MAX_DBC_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads and parses a DBC file. DBC files are usually Windows-1252; bytes
 * are read as Latin-1, which keeps every ASCII name intact. Throws
 * `DbcSyntaxError` with the file, line and column on invalid content and
 * `CanError` for a file over `MAX_DBC_FILE_BYTES`.
 */
export function loadDbcFile(path: string): DbcDatabase {
  const sizeBytes = statSync(path).size;
  if (sizeBytes > MAX_DBC_FILE_BYTES) {
    throw new CanError(
      `DBC file ${path} is ${sizeBytes} bytes, over the limit of ${MAX_DBC_FILE_BYTES} bytes ` +
        '(16 MiB); check that the path names a DBC file.',
    );
  }
  return parseDbc(readFileSync(path, 'latin1'), path);
}
