/**
 * @module Opens a CAN capture file, telling candump logs and Vector ASC
 * apart by their content rather than their file name.
 */
import { readFileSync } from 'node:fs';
import { CaptureFormatError } from '../errors.ts';
import type { FrameReader } from '../frame.ts';
import { isAscText, readAsc } from './asc.ts';
import { isCandumpText, readCandump } from './candump.ts';

export type CaptureFormat = 'candump' | 'asc';

const HEAD_CHARS = 4096;

/** Returns the capture format of `head` (the first few KiB of a file), or null. */
export function detectCaptureFormat(head: string): CaptureFormat | null {
  if (isCandumpText(head)) return 'candump';
  if (isAscText(head)) return 'asc';
  return null;
}

/** Creates a frame reader over capture text in the given format. */
export function readCaptureText(text: string, format: CaptureFormat, file: string): FrameReader {
  return format === 'candump' ? readCandump(text, file) : readAsc(text, file);
}

/**
 * Reads a capture file and returns a frame reader over it. Throws
 * `CaptureFormatError` when the content is neither candump nor ASC.
 */
export function openCaptureFile(path: string): { format: CaptureFormat; reader: FrameReader } {
  const text = readFileSync(path, 'latin1');
  const format = detectCaptureFormat(text.slice(0, HEAD_CHARS));
  if (format === null) {
    throw new CaptureFormatError(
      path,
      1,
      'not a CAN capture; expected a candump log ("(time) can0 123#DATA") or a Vector ASC file',
    );
  }
  return { format, reader: readCaptureText(text, format, path) };
}
