/**
 * @module DBC support: parse a file, decode frames, encode payloads.
 */
import { readFileSync } from 'node:fs';
import { parseDbc } from './parser.ts';
import type { DbcDatabase } from './types.ts';

export { parseDbc } from './parser.ts';
export { DbcDecoder, type DecoderCounters } from './decoder.ts';
export { CompiledMessage } from './compiled-message.ts';
export { encodeMessage, writeSignal } from './encoder.ts';
export * from './types.ts';

/**
 * Reads and parses a DBC file. DBC files are usually Windows-1252; bytes
 * are read as Latin-1, which keeps every ASCII name intact. Throws
 * `DbcSyntaxError` with the file, line and column on invalid content.
 */
export function loadDbcFile(path: string): DbcDatabase {
  return parseDbc(readFileSync(path, 'latin1'), path);
}
