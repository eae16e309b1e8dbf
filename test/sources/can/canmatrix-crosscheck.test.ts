import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_DBCS } from '../../../server/sources/can/bundled.ts';
import { DbcDecoder, loadDbcFile } from '../../../server/sources/can/dbc/index.ts';
import { readCandump } from '../../../server/sources/can/capture/candump.ts';
import { createFrame } from '../../../server/sources/can/frame.ts';
import { hasSharedData, sharedDataFile } from '../../support/shared-data.ts';
import { randomLayoutDbc } from './random-dbc.ts';
import { randomBytes, randomInt, seededRandom } from './random.ts';
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
  reference: Map<number, Record<string, number | null>>,
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
      if (Number.isNaN(got) && want === null) return;
      if (want == null || Math.abs(got - want) > 1e-9 * Math.max(1, Math.abs(want))) {
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
      60_000,
    );
  }
});

/** Builds `perMessage` random full-length frames for every message of a DBC file. */
function randomFrames(dbcPath: string, seed: number, perMessage: number): ReferenceFrame[] {
  const random = seededRandom(seed);
  const frames: ReferenceFrame[] = [];
  for (const message of loadDbcFile(dbcPath).messages) {
    if (message.isExtended && message.id > 0x1fffffff) continue;
    for (let i = 0; i < perMessage; i++) {
      const data = randomBytes(random, message.length);
      frames.push({ index: frames.length, id: message.id, isExtended: message.isExtended, data });
    }
  }
  return frames;
}

function crossCheckRandomFrames(dbcPath: string, seed: number, perMessage: number) {
  const frames = randomFrames(dbcPath, seed, perMessage);
  const reference = decodeWithCanmatrix(dbcPath, writeReferenceFrames(frames));
  return compareWithReference(new DbcDecoder(loadDbcFile(dbcPath)), frames, reference);
}

describe('decoder against python3-canmatrix on built frames', () => {
  const RUSEFI = 'can/rusEFI_CAN_verbose.dbc';
  test.skipIf(!!missingCanmatrix || !hasSharedData(RUSEFI))('rusEFI verbose DBC', () => {
    const result = crossCheckRandomFrames(sharedDataFile(RUSEFI)!, 512, 200);
    expect(result.mismatches.slice(0, 10)).toEqual([]);
    expect(result.frames).toBe(9 * 200);
    expect(result.compared).toBeGreaterThan(9 * 200 * 3);
  }, 60_000);

  for (const bundled of Object.values(BUNDLED_DBCS)) {
    test.skipIf(!!missingCanmatrix)(`bundled ${bundled.name} DBC`, () => {
      const result = crossCheckRandomFrames(bundled.dbcPath, 99, 100);
      expect(result.mismatches.slice(0, 10)).toEqual([]);
      expect(result.compared).toBeGreaterThan(100);
    }, 60_000);
  }

  test.skipIf(!!missingCanmatrix)('random signal layouts in both byte orders', () => {
    const random = seededRandom(4242);
    const path = join(mkdtempSync(join(tmpdir(), 'layouts-')), 'random.dbc');
    writeFileSync(path, `VERSION ""\n\nBU_: E\n\n${randomLayoutDbc(random, 300)}`);
    const result = crossCheckRandomFrames(path, randomInt(random, 1, 1000), 20);
    expect(result.mismatches.slice(0, 10)).toEqual([]);
    expect(result.compared).toBe(300 * 20);
  }, 60_000);
});
