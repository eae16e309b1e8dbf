/**
 * @module The error raised for a log file that cannot be read as its format
 * requires: it names the file, the position and what was expected there.
 */

/** Position of damage in a file: a byte offset or a 1-based line. */
export type LogPosition =
  | { readonly byteOffset: number }
  | { readonly line: number };

/** A log file that is truncated, malformed or not of the expected format. */
export class LogFormatError extends Error {
  override name = 'LogFormatError';
  readonly fileName: string;
  readonly position: LogPosition | null;

  constructor(fileName: string, position: LogPosition | null, problem: string) {
    super(`${fileName}${describePosition(position)}: ${problem}`);
    this.fileName = fileName;
    this.position = position;
  }
}

/** Formats a position as it appears in messages, such as ` at byte 4096`. */
export function describePosition(position: LogPosition | null): string {
  if (position === null) return '';
  if ('byteOffset' in position) return ` at byte ${position.byteOffset}`;
  return ` at line ${position.line}`;
}
