/**
 * @module Error types of the CAN layer, split by what the caller can do:
 * fix a description file, fix a capture file, or fix the device setup.
 */

/** Base of every error raised by the CAN layer. */
export class CanError extends Error {
  override name = 'CanError';
}

/** A DBC or mapping file that cannot be used; names the file, line and column. */
export class DbcSyntaxError extends CanError {
  override name = 'DbcSyntaxError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}:${line}:${column}: expected ${expected}, but found ${found}`);
  }
}

/** A capture file line that cannot be read; names the file and line. */
export class CaptureFormatError extends CanError {
  override name = 'CaptureFormatError';

  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/** A CAN interface or adapter that cannot be opened or configured. */
export class CanDeviceError extends CanError {
  override name = 'CanDeviceError';
}
