/**
 * @module Terminal settings of a serial device: raw mode, 8N1, no flow
 * control and a line speed. Uses `tcsetattr` from the C library through
 * `bun:ffi`, which needs no helper program and works in a compiled binary;
 * falls back to `stty -F` when the C library cannot be loaded (musl, or a
 * runtime without `bun:ffi`).
 */
import { spawnSync } from 'node:child_process';
import { loadLibc, type Libc } from './libc.ts';

/** Line speeds accepted by `setRawMode`, with their `termios` speed codes (Linux). */
export const SPEED_CODES: Readonly<Record<number, number>> = {
  1200: 0o11,
  2400: 0o13,
  4800: 0o14,
  9600: 0o15,
  19200: 0o16,
  38400: 0o17,
  57600: 0o10001,
  115200: 0o10002,
  230400: 0o10003,
  460800: 0o10004,
  500000: 0o10005,
  576000: 0o10006,
  921600: 0o10007,
  1000000: 0o10010,
  2000000: 0o10013,
};

// Linux `struct termios` (glibc, same on x86-64 and arm64): four 32-bit
// flag words, c_line, c_cc[32], then the two speeds; 60 bytes in all.
const TERMIOS_BYTES = 60;
const CFLAG_OFFSET = 8;
const CC_OFFSET = 17;
const VTIME = 5;
const VMIN = 6;
const CSTOPB = 0o100;
const PARENB = 0o400;
const CREAD = 0o200;
const CLOCAL = 0o4000;
const HUPCL = 0o2000;
const CRTSCTS = 0o20000000000;
const TCSANOW = 0;

/** Tenths of a second a blocking read waits for a first byte before returning 0. */
export const READ_TIMEOUT_DECISECONDS = 1;

/** A serial device setting that could not be applied; names the device and the fix. */
export class SerialConfigError extends Error {
  override name = 'SerialConfigError';
}

/**
 * Puts an open tty into raw 8N1 mode at `baudRate` with no flow control.
 * A blocking read then returns as soon as one byte arrives, or with 0 bytes
 * after `READ_TIMEOUT_DECISECONDS`, so a read loop can notice a close.
 * Returns which mechanism applied the settings.
 * Throws `SerialConfigError` for an unsupported speed or a failed call.
 */
export function setRawMode(fd: number, path: string, baudRate: number): 'tcsetattr' | 'stty' {
  const speedCode = SPEED_CODES[baudRate];
  if (speedCode === undefined) {
    throw new SerialConfigError(
      `Unsupported baud rate ${baudRate} for ${path}; use one of ` +
        `${Object.keys(SPEED_CODES).join(', ')}.`,
    );
  }

  const libc = loadLibc();
  if (libc !== null) {
    setRawModeFfi(libc, fd, path, speedCode);
    return 'tcsetattr';
  }

  setRawModeStty(path, baudRate);
  return 'stty';
}

function setRawModeFfi(libc: Libc, fd: number, path: string, speedCode: number): void {
  const termios = new Uint8Array(TERMIOS_BYTES);
  const view = new DataView(termios.buffer);
  checkCall(libc.tcgetattr(fd, termios), 'tcgetattr', path);

  libc.cfmakeraw(termios);
  let cflag = view.getUint32(CFLAG_OFFSET, true);
  cflag &= ~(CSTOPB | PARENB | CRTSCTS | HUPCL);
  cflag |= CREAD | CLOCAL;
  view.setUint32(CFLAG_OFFSET, cflag >>> 0, true);
  termios[CC_OFFSET + VMIN] = 0;
  termios[CC_OFFSET + VTIME] = READ_TIMEOUT_DECISECONDS;

  checkCall(libc.cfsetspeed(termios, speedCode), 'cfsetspeed', path);
  checkCall(libc.tcsetattr(fd, TCSANOW, termios), 'tcsetattr', path);
}

function setRawModeStty(path: string, baudRate: number): void {
  const args = ['-F', path, 'raw', '-echo', 'cs8', '-parenb', '-cstopb', '-crtscts'];
  args.push('clocal', '-hupcl', 'min', '0', 'time', String(READ_TIMEOUT_DECISECONDS));
  args.push(String(baudRate));
  const result = spawnSync('stty', args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? result.stderr.trim();
    throw new SerialConfigError(
      `Failed to configure ${path} with stty (${reason}); check that the device exists ` +
        'and that this user may open it (group dialout).',
    );
  }
}

/** Discards bytes received but not read and bytes written but not sent. */
export function flushTty(fd: number, path: string): void {
  const libc = loadLibc();
  if (libc === null) return;
  const TCIOFLUSH = 2;
  checkCall(libc.tcflush(fd, TCIOFLUSH), 'tcflush', path);
}

/** Waits until every written byte has left the device. */
export function drainTty(fd: number, path: string): void {
  const libc = loadLibc();
  if (libc === null) return;
  checkCall(libc.tcdrain(fd), 'tcdrain', path);
}

/** Returns the output speed that the kernel reports for an open tty, in baud. */
export function readBaudRate(fd: number, path: string): number | null {
  const libc = loadLibc();
  if (libc === null) return null;
  const termios = new Uint8Array(TERMIOS_BYTES);
  checkCall(libc.tcgetattr(fd, termios), 'tcgetattr', path);
  const code = libc.cfgetospeed(termios);
  const entry = Object.entries(SPEED_CODES).find(([, value]) => value === code);
  return entry === undefined ? null : Number(entry[0]);
}

function checkCall(result: number, name: string, path: string): void {
  if (result === 0) return;
  throw new SerialConfigError(
    `${name} failed on ${path} (is it a serial device or a pseudo-terminal?).`,
  );
}
