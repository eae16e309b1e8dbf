import { describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAsc } from '../../../server/sources/can/capture/asc.ts';
import { readCandump } from '../../../server/sources/can/capture/candump.ts';
import { detectCaptureFormat, openCaptureFile } from '../../../server/sources/can/capture/index.ts';
import { CaptureFormatError } from '../../../server/sources/can/errors.ts';
import { createFrame, type CanFrame, type FrameReader } from '../../../server/sources/can/frame.ts';
import { DEBIAN_PYTHON } from './canmatrix-reference.ts';
import { seededRandom, randomInt } from './random.ts';

interface PlainFrame {
  time: number;
  id: number;
  isExtended: boolean;
  isRemote: boolean;
  isError: boolean;
  isFd: boolean;
  data: string;
}

function plainOf(frame: CanFrame): PlainFrame {
  return {
    time: frame.timeS,
    id: frame.id,
    isExtended: frame.isExtended,
    isRemote: frame.isRemote,
    isError: frame.isError,
    isFd: frame.isFd,
    data: frame.isRemote ? '' : Buffer.from(frame.data.subarray(0, frame.length)).toString('hex'),
  };
}

function readAll(reader: FrameReader): PlainFrame[] {
  const frame = createFrame();
  const frames: PlainFrame[] = [];
  while (reader.next(frame)) frames.push(plainOf(frame));
  return frames;
}

/** Reads every frame, collecting the messages of the lines skipped as unreadable. */
function readSkipping(reader: FrameReader): { frames: PlainFrame[]; errors: string[] } {
  const frame = createFrame();
  const errors: string[] = [];
  const frames: PlainFrame[] = [];
  for (;;) {
    try {
      if (!reader.next(frame)) return { frames, errors };
      frames.push(plainOf(frame));
    } catch (error) {
      if (!(error instanceof CaptureFormatError)) throw error;
      errors.push(error.message);
    }
  }
}

// Writes seeded random frames with python-can's Logger to both formats,
// then reads them back with python-can's LogReader as the reference.
const PYTHON_WRITER = `
import can, json, random, sys
random.seed(int(sys.argv[1]))
frames = []
t = 1000.0
for i in range(300):
    t += random.random() * 0.01
    kind = random.random()
    if kind < 0.05:
        frames.append(can.Message(timestamp=t, is_error_frame=True, channel=0))
        continue
    ext = random.random() < 0.3
    arbitration_id = random.randrange(0x20000000 if ext else 0x800)
    if kind < 0.1:
        frames.append(can.Message(timestamp=t, arbitration_id=arbitration_id, is_extended_id=ext, is_remote_frame=True, dlc=random.randrange(9), channel=0))
    elif kind < 0.15:
        size = random.choice([12, 16, 24, 32, 48, 64])
        frames.append(can.Message(timestamp=t, arbitration_id=arbitration_id, is_extended_id=ext, is_fd=True, data=bytes(random.randrange(256) for _ in range(size)), channel=0))
    else:
        size = random.randrange(9)
        frames.append(can.Message(timestamp=t, arbitration_id=arbitration_id, is_extended_id=ext, data=bytes(random.randrange(256) for _ in range(size)), channel=0))
out = {}
for suffix in ['log', 'asc']:
    path = sys.argv[2] + '.' + suffix
    with can.Logger(path) as logger:
        for m in frames:
            logger.on_message_received(m)
    out[suffix] = [
        dict(time=m.timestamp, id=m.arbitration_id, isExtended=m.is_extended_id, isRemote=m.is_remote_frame,
             isError=m.is_error_frame, isFd=m.is_fd, data='' if m.is_remote_frame else bytes(m.data).hex())
        for m in can.LogReader(path)
    ]
print(json.dumps(out))
`;

const hasPythonCan = existsSync(DEBIAN_PYTHON);
if (!hasPythonCan) console.warn(`skipped: ${DEBIAN_PYTHON} with python3-can is absent`);

describe.skipIf(!hasPythonCan)('captures written by python3-can', () => {
  const base = join(mkdtempSync(join(tmpdir(), 'captures-')), 'frames');
  const run = Bun.spawnSync([DEBIAN_PYTHON, '-c', PYTHON_WRITER, '31', base]);
  const reference = JSON.parse(run.stdout.toString() || '{}') as Record<'log' | 'asc', PlainFrame[]>;

  for (const suffix of ['log', 'asc'] as const) {
    test(`${suffix} frames match python-can's reading`, () => {
      expect(run.exitCode).toBe(0);
      const path = `${base}.${suffix}`;
      const { format, reader } = openCaptureFile(path);
      expect(format).toBe(suffix === 'log' ? 'candump' : 'asc');

      const ours = readAll(reader);
      const theirs = reference[suffix];
      expect(ours.length).toBe(300);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((frame, i) => {
        const want = theirs[i];
        // Error frames carry no id in python-can's reading.
        expect({ ...frame, time: 0, id: frame.isError ? 0 : frame.id }).toEqual({
          ...want,
          time: 0,
          id: want.isError ? 0 : want.id,
          isExtended: want.isError ? false : want.isExtended,
        });
        expect(frame.time).toBeCloseTo(want.time, 5);
      });
    });
  }
});

describe('capture readers', () => {
  test('candump line shapes', () => {
    const text = [
      '(1544106679.432583) can0 562#122DF953813CA2',
      '(1.5) vcan1 1F0A000C#FF00 T',
      '(2.0) can0 123#R',
      '(2.5) can0 123#R4',
      '(3.0) can0 20000040#0000000000000000',
      '(3.5) can0 7FF##3112233',
      '(4.0) can0 100#',
      '',
    ].join('\n');
    const frames = readAll(readCandump(text, 'x.log'));
    expect(frames.map((f) => f.id)).toEqual([0x562, 0x1f0a000c, 0x123, 0x123, 0, 0x7ff, 0x100]);
    expect(frames[1].isExtended).toBe(true);
    expect(frames[2].isRemote).toBe(true);
    expect(frames[4].isError).toBe(true);
    expect(frames[5].isFd).toBe(true);
    expect(frames[5].data).toBe('112233');
    expect(frames[6].data).toBe('');
  });

  test('candump error frame class is kept', () => {
    const reader = readCandump('(3.0) can0 20000040#0000000000000000\n', 'x.log');
    const frame = createFrame();
    expect(reader.next(frame)).toBe(true);
    expect(frame.errorClass).toBe(0x40);
  });

  test('bad candump line names file and line, then reading goes on', () => {
    const reader = readCandump('(1.0) can0 100#00\n(2.0) can0 1G0#00\n(3.0) can0 101#01\n', 'bad.log');
    const frame = createFrame();
    expect(reader.next(frame)).toBe(true);
    let error: unknown;
    try {
      reader.next(frame);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect((error as Error).message).toStartWith('bad.log:2: invalid CAN id');
    expect(reader.next(frame)).toBe(true);
    expect(frame.id).toBe(0x101);
  });

  test('candump classic frame over 8 bytes', () => {
    const text = '(1.0) can0 100#0011223344556677\n(2.0) can0 100#001122334455667788\n(3.0) can0 100##1001122334455667788\n';
    const { frames, errors } = readSkipping(readCandump(text, 'long.log'));
    expect(frames.map((f) => [f.time, f.isFd, f.data])).toEqual([
      [1, false, '0011223344556677'],
      [3, true, '001122334455667788'],
    ]);
    expect(errors).toEqual([expect.stringContaining('long.log:2: classic CAN payload of 9 bytes, over 8')]);
  });

  test('ASC byte not two hex digits', () => {
    const text = [
      'base hex  timestamps absolute',
      'Begin Triggerblock',
      ' 0.1 1  360  Rx   d 2 03 20',
      ' 0.2 1  360  Rx   d 2 03 2G',
      ' 0.3 1  360  Rx   d 2 0x3 20',
      ' 0.4 1  360  Rx   d 2 3 20',
      ' 0.5 1  360  Rx   d 2 003 20',
      ' 0.6 1  360  Rx   d 2 ff 20',
      'End TriggerBlock',
    ].join('\n');
    const { frames, errors } = readSkipping(readAsc(text, 'bytes.asc'));
    expect(frames.map((f) => [f.time, f.data])).toEqual([
      [0.1, '0320'],
      [0.6, 'ff20'],
    ]);
    expect(errors.map((e) => e.split(':')[1])).toEqual(['4', '5', '6', '7']);
    expect(errors[0]).toContain('data byte 2 of 2 is "2G", not two hex digits');
  });

  test('ASC decimal byte over 255', () => {
    const text = 'base dec  timestamps absolute\n 0.1 1  864  Rx   d 2 1 256\n 0.2 1  864  Rx   d 2 1 2e1\n';
    const { frames, errors } = readSkipping(readAsc(text, 'dec.asc'));
    expect(frames).toEqual([]);
    expect(errors).toEqual([
      expect.stringContaining('dec.asc:2: data byte 2 of 2 is "256"'),
      expect.stringContaining('dec.asc:3: data byte 2 of 2 is "2e1"'),
    ]);
  });

  test('ASC with decimal ids and relative timestamps', () => {
    const text = [
      'date Mon Jan 1 00:00:00 2024',
      'base dec  timestamps relative',
      'Begin Triggerblock',
      '   0.5 1  452             Rx   d 2 1 255',
      '   0.25 1  1000x          Rx   d 1 16',
      '   0.25 1  Statistic: D 0 R 0 XD 0 XR 0 E 0 O 0 B 0.00%',
      'End TriggerBlock',
    ].join('\n');
    const frames = readAll(readAsc(text, 'x.asc'));
    expect(frames.map((f) => [f.time, f.id, f.isExtended, f.data])).toEqual([
      [0.5, 452, false, '01ff'],
      [0.75, 1000, true, '10'],
    ]);
  });

  test('format detection by content', () => {
    expect(detectCaptureFormat('(0.1) can0 100#00\n')).toBe('candump');
    expect(detectCaptureFormat('date x\nbase hex  timestamps absolute\n')).toBe('asc');
    expect(detectCaptureFormat('time,rpm\n0,800\n')).toBeNull();
  });

  test('random bytes never crash the readers', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const chars = Array.from({ length: randomInt(random, 0, 300) }, () =>
        String.fromCharCode(randomInt(random, 0, 127)),
      );
      const text = `(1.0) can0 100#00\n${chars.join('')}\n`;
      for (const reader of [readCandump(text, 'r.log'), readAsc(text, 'r.asc')]) {
        const frame = createFrame();
        for (let n = 0; n < 1000; n++) {
          try {
            if (!reader.next(frame)) break;
          } catch (error) {
            expect(error).toBeInstanceOf(CaptureFormatError);
          }
        }
      }
    }
  });
});

describe('capture file errors', () => {
  test('non-capture content is rejected with the file named', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'notcap-')), 'table.csv');
    writeFileSync(path, 'time,rpm\n0,800\n');
    expect(() => openCaptureFile(path)).toThrow(`${path}:1: not a CAN capture`);
    expect(readFileSync(path, 'utf8')).toContain('rpm');
  });
});
