/**
 * @module Reads real healthy engine logs (any format the replay source
 * reads) onto the tick grid, skipping files that are too short to train or
 * evaluate on and reporting those that fail to parse.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseLogFile } from '../sources/replay/formats.ts';
import { buildRecording } from '../sources/replay/recording.ts';
import { recordingFrames, type TickFrames } from './frames.ts';

/** Logs shorter than this are bench captures, not drives. */
export const MIN_LOG_DURATION_S = 120;

/** Real logs that were read, and the files that were skipped with the reason. */
export interface RealLogs {
  readonly drives: TickFrames[];
  readonly skipped: { readonly file: string; readonly reason: string }[];
}

/** Lists log files under `dir` and its sub-folders, sorted by path. */
export function listLogFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listLogFiles(path));
    else if (/\.(mlg|msl|csv)$/i.test(entry)) files.push(path);
  }
  return files;
}

/** Reads each log onto the tick grid. */
export function readRealLogs(paths: readonly string[]): RealLogs {
  const result: RealLogs = { drives: [], skipped: [] };
  for (const path of paths) {
    const name = basename(path);
    try {
      const recording = buildRecording(parseLogFile(new Uint8Array(readFileSync(path)), name));
      if (recording.durationS < MIN_LOG_DURATION_S) {
        result.skipped.push({ file: name, reason: `${recording.durationS.toFixed(1)} s is shorter than ${MIN_LOG_DURATION_S} s` });
        continue;
      }
      result.drives.push(recordingFrames(name, recording));
    } catch (error) {
      result.skipped.push({ file: name, reason: (error as Error).message });
    }
  }
  return result;
}
