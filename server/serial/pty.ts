/**
 * @module Pseudo-terminal pairs made with `openpty` from the C library
 * through `bun:ffi`, so the ELM327 emulator needs no `socat`. The master
 * side is returned as a stream; the slave path is what a client opens.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import type { Binding } from './binding-types.ts';
import { loadLibc } from './libc.ts';
import { TtyPort } from './tty-binding.ts';
import { readBaudRate, setRawMode } from './termios.ts';

/** An open pseudo-terminal pair. */
export interface PtyPair {
  /** Path of the slave side, such as `/dev/pts/7`. */
  readonly slavePath: string;
  /** Symbolic link to `slavePath`, when one was requested. */
  readonly linkPath?: string;
  /** The master side: a client that opens `slavePath` reads the bytes written here. */
  readonly master: SerialPortStream;
  /** Returns the line speed a client last set on the slave side, in baud. */
  slaveBaudRate(): number | null;
  /** Closes both sides, so a client on the slave side reads EIO; removes the link. */
  close(): Promise<void>;
}

/**
 * Opens a pseudo-terminal pair in raw mode. With `linkPath`, it points a
 * symbolic link there at the slave side and replaces an older link, so a
 * test can "replug" an adapter at the same path.
 * Throws when `openpty` is unavailable (no glibc).
 */
export async function openPtyPair(linkPath?: string): Promise<PtyPair> {
  const libc = loadLibc();
  if (libc === null) {
    throw new Error('openpty is unavailable (glibc not found); run the emulator on glibc Linux.');
  }

  const fds = new Int32Array(2);
  const name = new Uint8Array(4096);
  if (libc.openpty(fds, name) !== 0) throw new Error('openpty failed (no free pseudo-terminal?).');
  const [masterFd, slaveFd] = [fds[0], fds[1]];
  const slavePath = new TextDecoder().decode(name.subarray(0, name.indexOf(0)));

  // The slave side stays open here, so the master never reads EIO while
  // clients come and go. Raw mode keeps every byte untranslated.
  setRawMode(slaveFd, slavePath, 38400);
  const master = await openMaster(masterFd, slaveFd, slavePath);
  if (linkPath !== undefined) replaceLink(linkPath, slavePath);

  return {
    slavePath,
    linkPath,
    master,
    slaveBaudRate: () => readBaudRate(slaveFd, slavePath),
    async close() {
      if (master.isOpen) await new Promise<void>((resolve) => master.close(() => resolve()));
      fs.closeSync(slaveFd);
      if (linkPath !== undefined) removeLinkTo(linkPath, slavePath);
    },
  };
}

function openMaster(
  masterFd: number,
  slaveFd: number,
  slavePath: string,
): Promise<SerialPortStream> {
  // A byte written on the slave side ends the master's blocking read on close.
  const wakeReader = () => fs.writeSync(slaveFd, Buffer.of(0));
  const binding: Binding<TtyPort> = {
    list: async () => [],
    open: async (options) => new TtyPort(masterFd, options, wakeReader),
  };
  return new Promise((resolve, reject) => {
    const stream = new SerialPortStream({ binding, path: slavePath, baudRate: 38400 }, (error) =>
      error ? reject(error) : resolve(stream),
    );
  });
}

function replaceLink(linkPath: string, target: string): void {
  const temporary = join(dirname(linkPath), `.${process.pid}-${Date.now()}.link`);
  fs.symlinkSync(target, temporary);
  fs.renameSync(temporary, linkPath);
}

function removeLinkTo(linkPath: string, target: string): void {
  try {
    if (fs.readlinkSync(linkPath) === target) fs.unlinkSync(linkPath);
  } catch {
    // Already removed or replaced by a newer pair: nothing to clean up.
  }
}
