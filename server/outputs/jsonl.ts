/**
 * @module Headless output: each tick as one JSON line, to a file or to
 * stdout (`-`). Lines are buffered and flushed in chunks so a slow disk
 * never delays the tick; the buffer is bounded and, if the disk falls that
 * far behind, whole lines are dropped and counted rather than cut.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { TickMessage } from '../protocol.ts';

/** Bytes buffered before a flush. */
const FLUSH_BYTES = 256 * 1024;
/** Bytes buffered at most; beyond this lines are dropped. */
const MAX_BUFFER_BYTES = 64 * 1024 * 1024;

export class JsonlWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private bufferedBytes = 0;
  private droppedLines = 0;

  private isBroken = false;

  /**
   * Opens `path` for writing (truncating it), or stdout for `-`.
   * `onBroken` runs once when a write fails, such as when the reader of a
   * pipe exits; later ticks are then dropped.
   */
  constructor(
    private readonly path: string,
    private readonly onBroken: (error: Error) => void = () => {},
  ) {
    this.fd = path === '-' ? 1 : openSync(path, 'w');
  }

  /** Queues one tick as a JSON line. */
  readonly write = (tick: TickMessage): void => {
    if (this.isBroken) return;
    const line = JSON.stringify(tick) + '\n';
    if (this.bufferedBytes + line.length > MAX_BUFFER_BYTES) {
      this.droppedLines += 1;
      return;
    }
    this.chunks.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= FLUSH_BYTES) this.flush();
  };

  /** Writes everything buffered. */
  flush(): void {
    if (this.chunks.length === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.bufferedBytes = 0;
    if (this.isBroken) return;
    try {
      writeAll(this.fd, Buffer.from(data));
    } catch (error) {
      this.isBroken = true;
      this.onBroken(error as Error);
    }
  }

  /** Flushes, syncs a file to disk and closes it. */
  close(): { dropped: number } {
    this.flush();
    if (this.fd !== 1 && !this.isBroken) fsyncSync(this.fd);
    if (this.fd !== 1) closeSync(this.fd);
    return { dropped: this.droppedLines };
  }
}

/** Writes a whole buffer, looping over partial writes (pipes, stdout). */
function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Bun.sleepSync(1);
    }
  }
}
