/**
 * @module Opens a serial device as a `SerialPortStream` (from
 * `@serialport/stream`) over `TtyBinding`, and finds the line speed of a
 * device that replies to a probe.
 */
import { SerialPortStream } from '@serialport/stream';
import type { PortOpenOptions } from './binding-types.ts';
import { SerialDisconnectError, TtyBinding, type TtyPort } from './tty-binding.ts';
import { SPEED_CODES } from './termios.ts';

/** A serial port stream whose binding is `TtyBinding`. */
export type TtyStream = SerialPortStream<typeof TtyBinding>;

/** Settings of `openSerialPort`. */
export interface SerialOptions {
  readonly baudRate: number;
}

/**
 * Opens `path` in raw 8N1 mode at `options.baudRate` and resolves once open.
 * When the device is unplugged or its pty peer closes, the stream emits
 * `'close'` with an error whose `disconnected` is true. It also emits an
 * `'error'` event with a `SerialDisconnectError` when a listener exists,
 * so that a stream without one does not crash the process.
 * Rejects with the open error (ENOENT, EACCES) or a `SerialConfigError`.
 */
export function openSerialPort(path: string, options: SerialOptions): Promise<TtyStream> {
  return new Promise((resolve, reject) => {
    const openOptions: PortOpenOptions & { binding: typeof TtyBinding; autoOpen: false } = {
      binding: TtyBinding,
      path,
      baudRate: options.baudRate,
      autoOpen: false,
    };
    const stream = new SerialPortStream(openOptions);

    stream.on('close', (error: Error | null | undefined) => {
      if (error && stream.listenerCount('error') > 0) {
        stream.emit('error', new SerialDisconnectError(error.message));
      }
    });
    stream.open((error) => (error ? reject(error) : resolve(stream)));
  });
}

/** Closes a stream if it is still open; resolves once its descriptor is released. */
export function closeSerialPort(stream: TtyStream): Promise<void> {
  if (!stream.isOpen) return Promise.resolve();
  return new Promise((resolve) => stream.close(() => resolve()));
}

/** Mechanism that configured an open stream, for status reports. */
export function configuredWith(stream: TtyStream): TtyPort['configuredWith'] | undefined {
  return stream.port?.configuredWith;
}

/** Usual ELM327 and SLCAN line speeds in the order they are tried. */
export const AUTO_BAUD_RATES: readonly number[] = [38400, 9600, 115200, 230400, 500000];

/** Decides whether a device replies sensibly at the stream's current speed. */
export type BaudProbe = (stream: TtyStream) => Promise<boolean>;

/**
 * Opens `path` at each rate of `rates` in turn and returns the stream of
 * the first rate at which `probe` resolves true, left open. Rejects with
 * the list of tried rates when none replies, and with the open error when
 * the device cannot be opened at all.
 */
export async function openWithBaudDetection(
  path: string,
  probe: BaudProbe,
  rates: readonly number[] = AUTO_BAUD_RATES,
): Promise<{ stream: TtyStream; baudRate: number }> {
  for (const baudRate of rates) {
    if (SPEED_CODES[baudRate] === undefined) continue;
    const stream = await openSerialPort(path, { baudRate });
    const hasReplied = await probe(stream).catch(() => false);
    if (hasReplied) return { stream, baudRate };
    await closeSerialPort(stream);
  }
  throw new Error(
    `No sensible reply from ${path} at ${rates.join(', ')} baud; check the adapter ` +
      'and pass its speed explicitly (for example ?baud=38400).',
  );
}
