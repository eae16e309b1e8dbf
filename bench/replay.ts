/**
 * @module Parse throughput of a MegaLogViewer binary log: this project's
 * parser side by side with the npm package `mlg-converter` on the same
 * bytes in the same run. Usage: `bun bench/replay.ts [FILE.mlg] [RUNS]`
 * (default `../shared/data/logs/ecu/long.mlg`, 15 runs). Prints one
 * Markdown table row per parser with the median of the timed runs.
 */
import { Parser } from 'mlg-converter';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { parseMlg } from '../server/sources/replay/formats/mlg.ts';
import { buildRecording } from '../server/sources/replay/recording.ts';
import { sharedDataFile } from '../test/support/shared-data.ts';

interface Contender {
  readonly name: string;
  /** Parses the file and returns its record count. */
  readonly run: (bytes: Uint8Array) => number;
}

const CONTENDERS: readonly Contender[] = [
  {
    // Its record list includes marker blocks, so its count is 24 higher on long.mlg.
    name: 'mlg-converter 0.8.1 `Parser.parse`',
    run: (bytes) => {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return new Parser(buffer as ArrayBuffer).parse().records.length;
    },
  },
  {
    name: 'this project `parseMlg`',
    run: (bytes) => parseMlg(bytes, 'bench.mlg').timesS.length,
  },
  {
    name: 'this project `parseMlg` + `buildRecording`',
    run: (bytes) => buildRecording(parseMlg(bytes, 'bench.mlg')).recordCount,
  },
];

const WARM_UP_RUNS = 3;

async function main(): Promise<void> {
  const path = process.argv[2] ?? sharedDataFile('logs/ecu/long.mlg');
  if (path === null) {
    console.log('skipped: long.mlg is absent; pass the path of an .mlg file');
    return;
  }
  const runs = Number(process.argv[3] ?? 15);
  const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
  const megabytes = bytes.byteLength / 1e6;

  console.log(
    `file: ${basename(path)}, ${megabytes.toFixed(2)} MB; ${runs} timed runs after ${WARM_UP_RUNS} warm-up runs`,
  );
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Bun ${Bun.version}`,
  );
  console.log('');
  const results = measureInterleaved(bytes, runs);
  console.log('| parser | records | median ms | records/s | MB/s |');
  console.log('|---|---:|---:|---:|---:|');
  CONTENDERS.forEach((contender, i) => {
    const { records, medianMs } = results[i];
    const seconds = medianMs / 1000;
    console.log(
      `| ${contender.name} | ${records} | ${medianMs.toFixed(1)} | ` +
        `${Math.round(records / seconds).toLocaleString('en')} | ${(megabytes / seconds).toFixed(1)} |`,
    );
  });
}

/**
 * Times every contender once per round, rounds after warm-up, so that
 * JIT warm-up and machine noise fall on all of them alike.
 */
function measureInterleaved(bytes: Uint8Array, runs: number) {
  const records = CONTENDERS.map((c) => c.run(bytes));
  for (let i = 1; i < WARM_UP_RUNS; i++) CONTENDERS.forEach((c) => c.run(bytes));

  const timesMs: number[][] = CONTENDERS.map(() => []);
  for (let round = 0; round < runs; round++) {
    CONTENDERS.forEach((contender, i) => {
      const start = performance.now();
      contender.run(bytes);
      timesMs[i].push(performance.now() - start);
    });
  }
  return timesMs.map((times, i) => {
    times.sort((a, b) => a - b);
    return { records: records[i], medianMs: times[times.length >> 1] };
  });
}

await main();
