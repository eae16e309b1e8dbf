/**
 * @module An append-only log file that rotates by size: `monitor.log` is
 * renamed to `monitor.log.1` (and so on, up to `keep` files) once it passes
 * `maxBytes`. Writes are synchronous so a power cut loses at most the
 * line being written, never earlier lines.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export class RotatingFile {
  private fd: number;
  private sizeBytes: number;

  constructor(
    private readonly path: string,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 5,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.sizeBytes = fstatSync(this.fd).size;
  }

  /** Appends one line (a newline is added) and rotates when full. */
  writeLine(line: string): void {
    const bytes = Buffer.from(line + '\n');
    if (this.sizeBytes + bytes.length > this.maxBytes && this.sizeBytes > 0) {
      this.rotate();
    }
    writeSync(this.fd, bytes);
    this.sizeBytes += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    const oldest = `${this.path}.${this.keep}`;
    if (existsSync(oldest)) rmSync(oldest);

    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);

    this.fd = openSync(this.path, 'a');
    this.sizeBytes = 0;
  }
}
