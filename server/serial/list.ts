/**
 * @module Lists serial devices from `/dev/serial/by-id/`, whose names stay
 * the same across reboots and replugging (udev creates them from the USB
 * vendor, product and serial number). Needs no `udevadm`.
 */
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';

/** A serial device: its kernel path and, when udev made one, its stable by-id path. */
export interface SerialPortEntry {
  readonly path: string;
  readonly byId?: string;
}

const BY_ID_DIR = '/dev/serial/by-id';
const KERNEL_PATTERNS = [/^ttyUSB\d+$/, /^ttyACM\d+$/, /^rfcomm\d+$/];

/**
 * Lists the serial devices present now: every by-id link with its target,
 * then USB, ACM and Bluetooth RFCOMM ttys that have no by-id link.
 */
export async function listSerialPorts(devDir = '/dev'): Promise<SerialPortEntry[]> {
  const entries = listById(devDir === '/dev' ? BY_ID_DIR : join(devDir, 'serial/by-id'));
  const linked = new Set(entries.map((entry) => entry.path));

  for (const name of safeReadDir(devDir).sort()) {
    const path = join(devDir, name);
    if (KERNEL_PATTERNS.some((pattern) => pattern.test(name)) && !linked.has(path)) {
      entries.push({ path });
    }
  }
  return entries;
}

function listById(dir: string): SerialPortEntry[] {
  const entries: SerialPortEntry[] = [];
  for (const name of safeReadDir(dir).sort()) {
    const byId = join(dir, name);
    try {
      entries.push({ path: resolve(dir, fs.readlinkSync(byId)), byId });
    } catch {
      // A link removed between readdir and readlink: the device went away.
    }
  }
  return entries;
}

function safeReadDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
