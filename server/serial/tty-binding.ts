/**
 * @module A `@serialport/bindings-interface` binding for Linux ttys written
 * in TypeScript, standing in for the native `@serialport/bindings-cpp`,
 * which crashes Bun ("unsupported uv function: uv_poll_init") and is not
 * embedded in a compiled binary. The device is opened blocking with
 * O_RDWR | O_NOCTTY, configured with `setRawMode`, read by a loop of
 * `fs.read` calls (each returns after at most a tenth of a second, so a
 * close ends the loop) and written with `fs.writeSync`.
 */
import * as fs from 'node:fs';
import type {
  Binding,
  BindingPort,
  PortInfo,
  PortOpenOptions as OpenOptions,
  PortSetOptions as SetOptions,
  PortStatus,
} from './binding-types.ts';
import { drainTty, flushTty, readBaudRate, setRawMode } from './termios.ts';
import { listSerialPorts } from './list.ts';

/** An error of a read or write that the port's close cancelled. */
class CanceledError extends Error {
  override name = 'CanceledError';
  readonly canceled = true;
}

/** The device stopped responding: unplugged, hung up, or the pty peer closed. */
export class SerialDisconnectError extends Error {
  override name = 'SerialDisconnectError';
  readonly disconnected = true;
}

/** One open tty. */
export class TtyPort implements BindingPort {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;

  /** Mechanism that applied the terminal settings: `tcsetattr` or `stty`. */
  readonly configuredWith: 'tcsetattr' | 'stty';

  private isReading = false;
  private readEnded: Promise<void> = Promise.resolve();
  private endRead: () => void = () => {};

  /**
   * Opens a port on a descriptor. `wakeReader` is called on close for a
   * descriptor whose reads ignore the read timeout, such as a pty master
   * (its terminal settings belong to the slave side). It must make one
   * byte readable so that the pending read returns.
   */
  constructor(
    private readonly fd: number,
    options: OpenOptions,
    private readonly wakeReader?: () => void,
  ) {
    this.openOptions = withDefaults(options);
    this.configuredWith = setRawMode(fd, options.path, options.baudRate);
  }

  /** Reads at least one byte, or rejects when the port closes or the device goes away. */
  async read(
    buffer: Buffer,
    offset: number,
    length: number,
  ): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) throw new CanceledError('Read cancelled: the port is closed.');
    if (this.isReading) throw new Error('A read is already in progress on this port.');

    this.isReading = true;
    this.readEnded = new Promise((resolve) => (this.endRead = resolve));
    try {
      const bytesRead = await this.readSome(buffer, offset, length);
      return { buffer, bytesRead };
    } finally {
      this.isReading = false;
      this.endRead();
    }
  }

  private async readSome(buffer: Buffer, offset: number, length: number): Promise<number> {
    for (;;) {
      const bytesRead = await readOnce(this.fd, buffer, offset, length).catch((error) => {
        throw this.isOpen ? disconnectError(this.openOptions.path, error) : canceled();
      });
      if (!this.isOpen) throw canceled();
      if (bytesRead > 0) return bytesRead;

      // A read timed out with nothing received. A USB adapter that was
      // unplugged disappears from /dev; its hung-up tty also reads 0 bytes.
      if (!fs.existsSync(this.openOptions.path)) {
        throw new SerialDisconnectError(`${this.openOptions.path} disappeared (unplugged?).`);
      }
    }
  }

  /** Writes every byte of `buffer`, or rejects when the device is gone. */
  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw new CanceledError('Write cancelled: the port is closed.');
    let written = 0;
    try {
      while (written < buffer.length) {
        written += fs.writeSync(this.fd, buffer, written, buffer.length - written);
      }
    } catch (error) {
      throw disconnectError(this.openOptions.path, error);
    }
  }

  /** Stops the read loop, then closes the descriptor. */
  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    if (this.isReading) this.wakeReader?.();
    await this.readEnded;
    fs.closeSync(this.fd);
  }

  async update(options: { baudRate: number }): Promise<void> {
    setRawMode(this.fd, this.openOptions.path, options.baudRate);
    this.openOptions.baudRate = options.baudRate;
  }

  /** Rejects: modem control lines are not driven by this binding (ELM327 and SLCAN do not need them). */
  async set(_options: SetOptions): Promise<void> {
    throw new Error('Setting modem control lines (DTR, RTS, break) is not supported by TtyBinding.');
  }

  /** Rejects: modem status lines are not read by this binding. */
  async get(): Promise<PortStatus> {
    throw new Error('Reading modem status lines (CTS, DSR, DCD) is not supported by TtyBinding.');
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    const baudRate = readBaudRate(this.fd, this.openOptions.path);
    return { baudRate: baudRate ?? this.openOptions.baudRate };
  }

  async flush(): Promise<void> {
    flushTty(this.fd, this.openOptions.path);
  }

  async drain(): Promise<void> {
    drainTty(this.fd, this.openOptions.path);
  }
}

/** The binding object `SerialPortStream` takes in its `binding` option. */
export const TtyBinding: Binding<TtyPort> = {
  async list(): Promise<PortInfo[]> {
    const ports = await listSerialPorts();
    return ports.map((port) => ({
      path: port.byId ?? port.path,
      manufacturer: undefined,
      serialNumber: undefined,
      pnpId: port.byId,
      locationId: undefined,
      productId: undefined,
      vendorId: undefined,
    }));
  },

  async open(options: OpenOptions): Promise<TtyPort> {
    const flags = fs.constants.O_RDWR | fs.constants.O_NOCTTY;
    const fd = fs.openSync(options.path, flags);
    try {
      const port = new TtyPort(fd, options);
      // Bytes queued before this open (a previous client's replies) are stale.
      flushTty(fd, options.path);
      return port;
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  },
};

function readOnce(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, offset, length, null, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(bytesRead);
    });
  });
}

function canceled(): CanceledError {
  return new CanceledError('Read cancelled: the port is closed.');
}

function disconnectError(path: string, cause: unknown): SerialDisconnectError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new SerialDisconnectError(`${path} failed with ${code} (unplugged or peer closed).`);
}

function withDefaults(options: OpenOptions): Required<OpenOptions> {
  return {
    dataBits: 8,
    lock: false,
    stopBits: 1,
    parity: 'none',
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: false,
    ...options,
  };
}
