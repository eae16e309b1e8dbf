import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { DbcDecoder, loadDbcFile } from '../../../server/sources/can/dbc/index.ts';
import { readCandump } from '../../../server/sources/can/capture/candump.ts';
import { createFrame } from '../../../server/sources/can/frame.ts';
import { hasSharedData, sharedDataFile } from '../../support/shared-data.ts';
import {
  canmatrixMissingReason,
  decodeWithCanmatrix,
  writeReferenceFrames,
  type ReferenceFrame,
} from './canmatrix-reference.ts';

const CAPTURE = 'can/rav4_2017_segment40_all_buses.log';
const missingCanmatrix = canmatrixMissingReason();
if (missingCanmatrix) console.warn(`skipped: ${missingCanmatrix}`);

function readCaptureFrames(path: string): ReferenceFrame[] {
  const reader = readCandump(readFileSync(path, 'latin1'), path);
  const frame = createFrame();
  const frames: ReferenceFrame[] = [];
  while (reader.next(frame)) {
    if (frame.isError || frame.isRemote) continue;
    frames.push({
      index: frames.length,
      id: frame.id,
      isExtended: frame.isExtended,
      data: frame.data.slice(0, frame.length),
    });
  }
  return frames;
}

/** Returns mismatch descriptions; compares every signal of every frame both decoded. */
function compareWithReference(
  decoder: DbcDecoder,
  frames: readonly ReferenceFrame[],
  reference: Map<number, Record<string, number>>,
): { compared: number; frames: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let compared = 0;
  let decodedFrames = 0;
  for (const frame of frames) {
    const expected = reference.get(frame.index);
    const message = decoder.decode(frame.id, frame.isExtended, frame.data);
    if (!expected || !message) {
      if (expected || message) mismatches.push(`frame ${frame.index}: decoded by one side only`);
      continue;
    }
    decodedFrames++;
    const isFullLength = frame.data.length >= message.message.length;
    message.signals.forEach((signal, k) => {
      const want = expected[signal.name];
      if (message.isPresent[k] === 0) {
        if (isFullLength && want !== undefined) mismatches.push(`frame ${frame.index} ${signal.name}: absent`);
        return;
      }
      compared++;
      const got = message.values[k];
      if (want === undefined || Math.abs(got - want) > 1e-9 * Math.max(1, Math.abs(want))) {
        mismatches.push(`frame ${frame.index} ${signal.name}: ${got} vs canmatrix ${want}`);
      }
    });
  }
  return { compared, frames: decodedFrames, mismatches };
}

describe('decoder against python3-canmatrix', () => {
  for (const dbcName of ['_toyota_2017.dbc', 'toyota_2017_ref_pt.dbc']) {
    test.skipIf(!!missingCanmatrix || !hasSharedData(CAPTURE) || !hasSharedData(`can/${dbcName}`))(
      `RAV4 capture with ${dbcName}`,
      () => {
        const capture = sharedDataFile(CAPTURE)!;
        const dbcPath = sharedDataFile(`can/${dbcName}`)!;
        const frames = readCaptureFrames(capture);
        const reference = decodeWithCanmatrix(dbcPath, writeReferenceFrames(frames));
        const result = compareWithReference(new DbcDecoder(loadDbcFile(dbcPath)), frames, reference);

        expect(result.mismatches.slice(0, 10)).toEqual([]);
        expect(result.frames).toBe(reference.size);
        expect(result.compared).toBeGreaterThan(100_000);
      },
    );
  }
});
