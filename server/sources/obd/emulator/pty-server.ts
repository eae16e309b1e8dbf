/**
 * @module Serves an `ElmEmulator` on a pseudo-terminal: reads commands up
 * to each carriage return, waits the emulated delay, writes the reply, and
 * prints STOPPED when a byte arrives while a command is pending, as a real
 * adapter does. Can "unplug" and "replug" by closing the pty and opening a
 * new one at the same link path.
 */
import { openPtyPair, type PtyPair } from '../../../serial/index.ts';
import type { ElmEmulator } from './elm-emulator.ts';

/** A running emulator on a pty. */
export interface EmulatorServer {
  /** Path clients open: the link when one was given, else the pty slave. */
  readonly path: () => string;
  /** Closes the pty (clients read EIO), as if the adapter were unplugged. */
  unplug(): Promise<void>;
  /** Opens a new pty at the same link path, as if the adapter were plugged back in. */
  replug(): Promise<void>;
  close(): Promise<void>;
}

/** Delay before the link comes back after a clone dropped it on ATZ, in milliseconds. */
const LINK_DROP_MS = 300;

/**
 * Starts serving `emulator`; with `linkPath`, keeps a symbolic link there
 * to the current pty. With `baudRate`, the adapter behaves as if wired at
 * that speed: while a client has set another speed on the pty, every byte
 * it sends comes back as line noise, as with a real baud-rate mismatch.
 */
export async function serveElmEmulator(
  emulator: ElmEmulator,
  linkPath?: string,
  baudRate: number | null = null,
): Promise<EmulatorServer> {
  let pair: PtyPair | null = null;
  let isClosed = false;

  const plug = async () => {
    pair = await openPtyPair(linkPath);
    attach(pair, emulator, baudRate, async () => {
      await unplug();
      await Bun.sleep(LINK_DROP_MS);
      if (!isClosed) await plug();
    });
  };
  const unplug = async () => {
    const current = pair;
    pair = null;
    if (current !== null) await current.close();
  };

  await plug();
  return {
    path: () => linkPath ?? pair?.slavePath ?? '',
    unplug,
    replug: plug,
    async close() {
      isClosed = true;
      await unplug();
    },
  };
}

function attach(
  pair: PtyPair,
  emulator: ElmEmulator,
  baudRate: number | null,
  dropLink: () => Promise<void>,
): void {
  let input = '';
  let pending: { timer: ReturnType<typeof setTimeout> } | null = null;

  const processNext = () => {
    if (pending !== null) return;
    const end = input.indexOf('\r');
    if (end === -1) return;
    const line = input.slice(0, end);
    input = input.slice(end + 1).replace(/^\n/, '');

    const reply = emulator.handle(line);
    pending = {
      timer: setTimeout(() => {
        pending = null;
        if (!pair.master.isOpen) return;
        // A clone that drops the link on ATZ resets before its reply gets out.
        if (reply.dropsLink) {
          void dropLink();
          return;
        }
        pair.master.write(reply.text);
        processNext();
      }, reply.delayMs),
    };
  };

  pair.master.on('data', (chunk: Buffer) => {
    if (baudRate !== null && pair.slaveBaudRate() !== baudRate) {
      pair.master.write(lineNoise(chunk.length));
      return;
    }
    if (pending !== null) {
      // Any byte while a command is in progress aborts it.
      clearTimeout(pending.timer);
      pending = null;
      pair.master.write('STOPPED\r\r>');
    }
    input += chunk.toString('latin1');
    if (input.length > 4096) input = input.slice(-4096);
    processNext();
  });
  pair.master.on('error', () => {
    // The master closes with the pair; nothing to report to the emulator.
  });
}

/** Returns bytes with the high bit set, as a UART sampling at the wrong speed produces. */
function lineNoise(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => 0x80 | ((i * 37) & 0x7f)));
}
