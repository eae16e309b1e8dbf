/**
 * @module Runs Debian's python3-canmatrix as a reference decoder for the
 * cross-checks: writes frames to a temporary file and reads back one
 * decoded frame a line.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's interpreter, which has python3-canmatrix and python3-can (the pyenv one does not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const SCRIPT = join(import.meta.dir, 'canmatrix-decode.py');

/** A frame as the reference script reads it. */
export interface ReferenceFrame {
  readonly index: number;
  readonly id: number;
  readonly isExtended: boolean;
  readonly data: Uint8Array;
}

/** Returns null when python3-canmatrix can run here, or the reason it cannot. */
export function canmatrixMissingReason(): string | null {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} is absent`;
  const probe = Bun.spawnSync([DEBIAN_PYTHON, '-c', 'import canmatrix.formats']);
  return probe.exitCode === 0 ? null : 'python3-canmatrix is not installed';
}

/** Writes frames in the reference script's input format and returns the file path. */
export function writeReferenceFrames(frames: readonly ReferenceFrame[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'canmatrix-')), 'frames.txt');
  const lines = frames.map(
    (f) =>
      `${f.index} ${f.id.toString(16)} ${f.isExtended ? 1 : 0} ${Buffer.from(f.data).toString('hex')}`,
  );
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Decodes frames with canmatrix; returns physical values by frame index (null for NaN). */
export function decodeWithCanmatrix(
  dbcPath: string,
  framesPath: string,
): Map<number, Record<string, number | null>> {
  const run = Bun.spawnSync([DEBIAN_PYTHON, SCRIPT, dbcPath, framesPath], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  if (run.exitCode !== 0) {
    throw new Error(`canmatrix-decode.py failed: ${run.stderr.toString().slice(-2000)}`);
  }
  const results = new Map<number, Record<string, number | null>>();
  for (const line of run.stdout.toString().split('\n')) {
    if (line === '') continue;
    const { i, v } = JSON.parse(line) as { i: number; v: Record<string, number | null> };
    results.set(i, v);
  }
  return results;
}
