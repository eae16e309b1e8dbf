/**
 * @module The few C library calls the serial transport needs (termios and
 * openpty), loaded once through `bun:ffi`. Returns null where the library
 * cannot be loaded, so callers can fall back to `stty`.
 */
import { dlopen, FFIType, ptr } from 'bun:ffi';

/** Typed wrappers over the C calls; each returns the C return value. */
export interface Libc {
  tcgetattr(fd: number, termios: Uint8Array): number;
  tcsetattr(fd: number, action: number, termios: Uint8Array): number;
  cfmakeraw(termios: Uint8Array): void;
  cfsetspeed(termios: Uint8Array, speedCode: number): number;
  cfgetospeed(termios: Uint8Array): number;
  tcflush(fd: number, queue: number): number;
  tcdrain(fd: number): number;
  /** Opens a pseudo-terminal pair; fills `fds` with master and slave, `name` with the slave path. */
  openpty(fds: Int32Array, name: Uint8Array): number;
}

const TERMIOS_SYMBOLS = {
  tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  cfmakeraw: { args: [FFIType.ptr], returns: FFIType.void },
  cfsetspeed: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  cfgetospeed: { args: [FFIType.ptr], returns: FFIType.u32 },
  tcflush: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  tcdrain: { args: [FFIType.i32], returns: FFIType.i32 },
} as const;

const OPENPTY_SYMBOLS = {
  openpty: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr],
    returns: FFIType.i32,
  },
} as const;

// glibc 2.34 moved openpty from libutil into libc; older systems need libutil.
const LIBC_NAMES = ['libc.so.6'];
const LIBUTIL_NAMES = ['libc.so.6', 'libutil.so.1'];

let cached: Libc | null | undefined;

/** Loads the C library once; returns null when `bun:ffi` or glibc is unavailable. */
export function loadLibc(): Libc | null {
  if (cached !== undefined) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): Libc | null {
  const termios = openFirst(LIBC_NAMES, TERMIOS_SYMBOLS);
  if (termios === null) return null;
  const pty = openFirst(LIBUTIL_NAMES, OPENPTY_SYMBOLS);
  const t = termios.symbols;

  return {
    tcgetattr: (fd, buf) => t.tcgetattr(fd, ptr(buf)),
    tcsetattr: (fd, action, buf) => t.tcsetattr(fd, action, ptr(buf)),
    cfmakeraw: (buf) => t.cfmakeraw(ptr(buf)),
    cfsetspeed: (buf, code) => t.cfsetspeed(ptr(buf), code),
    cfgetospeed: (buf) => t.cfgetospeed(ptr(buf)),
    tcflush: (fd, queue) => t.tcflush(fd, queue),
    tcdrain: (fd) => t.tcdrain(fd),
    openpty: (fds, name) => {
      if (pty === null) return -1;
      return pty.symbols.openpty(ptr(fds), ptr(fds, 4), ptr(name), null, null);
    },
  };
}

function openFirst<T extends Parameters<typeof dlopen>[1]>(
  names: readonly string[],
  symbols: T,
): ReturnType<typeof dlopen<T>> | null {
  for (const name of names) {
    try {
      return dlopen(name, symbols);
    } catch {
      // Try the next name; a missing library or symbol is expected on some systems.
    }
  }
  return null;
}
