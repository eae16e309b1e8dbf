/**
 * @module Explains why a SocketCAN interface cannot be opened, by asking
 * the C library directly: the `socketcan` addon reports every failure as
 * "Error while creating channel" and drops the errno.
 */
import { dlopen, FFIType, read } from 'bun:ffi';

const AF_CAN = 29;
const SOCK_RAW = 3;
const CAN_RAW = 1;
const EAFNOSUPPORT = 97;
const EPROTONOSUPPORT = 93;

interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  close(fd: number): number;
  if_nametoindex(name: Uint8Array): number;
  __errno_location(): number | null;
}

function loadLibc(): Libc | null {
  try {
    const { symbols } = dlopen('libc.so.6', {
      socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
      if_nametoindex: { args: [FFIType.ptr], returns: FFIType.u32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    });
    return symbols as unknown as Libc;
  } catch {
    return null;
  }
}

/**
 * Returns a sentence naming why `interfaceName` cannot be opened as a
 * SocketCAN channel and what to do, or null when no cause is found.
 */
export function diagnoseSocketCan(interfaceName: string): string | null {
  const libc = loadLibc();
  if (libc === null) return null;

  const fd = libc.socket(AF_CAN, SOCK_RAW, CAN_RAW);
  if (fd < 0) {
    const pointer = libc.__errno_location();
    const errno = pointer === null ? 0 : read.i32(pointer, 0);
    if (errno === EAFNOSUPPORT || errno === EPROTONOSUPPORT) {
      return (
        'this kernel has no SocketCAN support (socket(AF_CAN) failed with ' +
        `${errno === EAFNOSUPPORT ? 'EAFNOSUPPORT' : 'EPROTONOSUPPORT'}); load the can and can_raw ` +
        'modules (modprobe can_raw) or use an SLCAN adapter with --source slcan:/dev/ttyACM0'
      );
    }
    return `socket(AF_CAN) failed with errno ${errno}`;
  }
  libc.close(fd);

  const index = libc.if_nametoindex(Buffer.from(`${interfaceName}\0`, 'latin1'));
  if (index === 0) {
    return (
      `CAN interface ${interfaceName} not found; bring it up with ` +
      `"ip link set ${interfaceName} up type can bitrate 500000"`
    );
  }
  return null;
}
