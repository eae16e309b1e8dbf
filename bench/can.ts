/**
 * @module Benchmark of CAN decoding on the RAV4 capture: the DBC decoder
 * alone, the whole capture replay source (candump parsing, decoding,
 * mapping, bus health, sink), and python3-canmatrix decoding the same
 * frames in the same run as the reference.
 *
 * Usage: bun bench/can.ts [--runs N] [--dbc FILE]
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCaptureReplaySource } from '../server/sources/can/capture-replay.ts';
import { readCandump } from '../server/sources/can/capture/candump.ts';
import { DbcDecoder, loadDbcFile } from '../server/sources/can/dbc/index.ts';
import { createFrame } from '../server/sources/can/frame.ts';

const REPO_DIR = resolve(import.meta.dir, '..');
const DATA_DIR = resolve(REPO_DIR, '../shared/data/can');
const CAPTURE = join(DATA_DIR, 'rav4_2017_segment40_all_buses.log');
const PYTHON = '/usr/bin/python3';
const REFERENCE_SCRIPT = join(REPO_DIR, 'test/sources/can/canmatrix-decode.py');
const TICK_S = 1 / 23.6;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    dbc: { type: 'string', default: join(DATA_DIR, '_toyota_2017.dbc') },
  },
});
const runs = Number(args.runs);
const dbcPath = args.dbc!;

interface Frames {
  readonly ids: Int32Array;
  readonly isExtended: Uint8Array;
  readonly payloads: Uint8Array[];
}

function loadFrames(): Frames {
  const reader = readCandump(readFileSync(CAPTURE, 'latin1'), CAPTURE);
  const frame = createFrame();
  const ids: number[] = [];
  const isExtended: number[] = [];
  const payloads: Uint8Array[] = [];
  while (reader.next(frame)) {
    ids.push(frame.id);
    isExtended.push(frame.isExtended ? 1 : 0);
    payloads.push(frame.data.slice(0, frame.length));
  }
  return { ids: Int32Array.from(ids), isExtended: Uint8Array.from(isExtended), payloads };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const DECODER_PASSES = 10;

/** Decodes every frame `DECODER_PASSES` times; returns seconds per pass and the frames whose ids are in the DBC. */
function timeDecoder(frames: Frames): { seconds: number; decoded: number } {
  const decoder = new DbcDecoder(loadDbcFile(dbcPath));
  const started = performance.now();
  for (let pass = 0; pass < DECODER_PASSES; pass++) {
    for (let i = 0; i < frames.ids.length; i++) {
      decoder.decode(frames.ids[i], frames.isExtended[i] === 1, frames.payloads[i]);
    }
  }
  const seconds = (performance.now() - started) / 1000 / DECODER_PASSES;
  return { seconds, decoded: decoder.counters.decodedFrames / DECODER_PASSES };
}

/**
 * Replays the capture file through the whole source at maximum speed.
 * Setup (reading the capture and DBC, compiling) is timed apart from
 * streaming (every `advanceTo` and per-tick snapshot).
 */
async function timeSource(): Promise<{ setupS: number; streamS: number; samples: number }> {
  let samples = 0;
  const started = performance.now();
  const source = createCaptureReplaySource(`${CAPTURE}?speed=max`, {
    flags: { dbc: dbcPath },
    dataDir: tmpdir(),
  });
  await source.start({
    sink: (batch) => (samples += batch.length),
    clock: { nowS: () => 0 },
    onStatus: () => {},
    onEvent: () => {},
  });
  const streaming = performance.now();
  for (let t = 0; source.advanceTo!(t); t += TICK_S) source.snapshot!();
  const ended = performance.now();
  return { setupS: (streaming - started) / 1000, streamS: (ended - streaming) / 1000, samples };
}

/** Runs canmatrix on the same frames; returns its own decode-loop timing. */
function timeCanmatrix(frames: Frames): { seconds: number; decoded: number } {
  const path = join(mkdtempSync(join(tmpdir(), 'bench-can-')), 'frames.txt');
  const lines = Array.from(frames.ids, (id, i) => {
    const hex = Buffer.from(frames.payloads[i]).toString('hex');
    return `${i} ${id.toString(16)} ${frames.isExtended[i]} ${hex}`;
  });
  writeFileSync(path, lines.join('\n') + '\n');
  const run = Bun.spawnSync([PYTHON, REFERENCE_SCRIPT, dbcPath, path, '--quiet'], { stderr: 'ignore' });
  const [decoded, seconds] = run.stdout.toString().trim().split(/\s+/).map(Number);
  return { seconds, decoded };
}

const frames = loadFrames();
const count = frames.ids.length;
timeDecoder(frames);
await timeSource();

const decoderRuns = Array.from({ length: runs }, () => timeDecoder(frames));
const sourceRuns: Array<{ setupS: number; streamS: number; samples: number }> = [];
for (let i = 0; i < runs; i++) sourceRuns.push(await timeSource());
const reference = timeCanmatrix(frames);

const decoded = decoderRuns[0].decoded;
const decoderS = median(decoderRuns.map((r) => r.seconds));
const sourceS = median(sourceRuns.map((r) => r.streamS));
const setupS = median(sourceRuns.map((r) => r.setupS));
const bestDecoderS = Math.min(...decoderRuns.map((r) => r.seconds));
const bestSourceS = Math.min(...sourceRuns.map((r) => r.streamS));
const format = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`capture: ${count} frames, ${decoded} with ids in ${dbcPath.split('/').pop()}`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, Bun ${Bun.version}`);
console.log(`median of ${runs} runs after one warm-up run; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| stage | seconds | capture frames/s | decoded frames/s |');
console.log('|---|---|---|---|');
console.log(`| DBC decoder alone | ${decoderS.toFixed(4)} | ${format(count / decoderS)} | ${format(decoded / decoderS)} |`);
console.log(
  `| whole replay source, streaming (parse, decode, map, health, sink) | ${sourceS.toFixed(4)} | ${format(count / sourceS)} | ${format(decoded / sourceS)} |`,
);
console.log(`| whole replay source, setup (read capture and DBC, compile) | ${setupS.toFixed(4)} | | |`);
console.log(
  `| python3-canmatrix decode loop | ${reference.seconds.toFixed(4)} | ${format(count / reference.seconds)} | ${format(reference.decoded / reference.seconds)} |`,
);
console.log(
  `fastest run: decoder ${format(count / bestDecoderS)} capture frames/s, ` +
    `replay source ${format(count / bestSourceS)} capture frames/s (${format(decoded / bestSourceS)} decoded)`,
);
console.log(`samples per replay: ${sourceRuns[0].samples}; canmatrix decoded ${reference.decoded} frames`);
