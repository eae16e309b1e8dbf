/**
 * @module Measures OBD-II polling throughput against the product's ELM327
 * emulator on a pty, with a per-request delay like a Bluetooth clone and a
 * wait after the last reply like the adapter's response timeout:
 *   1. PIDs one at a time, round robin (the common simple loop),
 *   2. the scheduler with one PID per request (fast PIDs more often),
 *   3. the scheduler with six PIDs per request, no response count,
 *   4. the scheduler with six PIDs per request and the response count.
 * Run: bun bench/obd.ts [--seconds 10] [--delay 40] [--wait 50]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import {
  createStreetDrive,
  createVehicle,
  ElmEmulator,
  NO_QUIRKS,
  serveElmEmulator,
  type EmulatorTiming,
} from '../server/sources/obd/emulator/index.ts';
import { closeSerialPort, openSerialPort } from '../server/serial/index.ts';
import { ElmLink } from '../server/sources/obd/elm-link.ts';
import { Elm327 } from '../server/sources/obd/elm327.ts';
import { channelPids, decodeMode01, pidHex } from '../server/sources/obd/pids.ts';
import { ObdSource, parseObdSpec } from '../server/sources/obd/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FAST_CHANNELS = ['rpm', 'mapKpa', 'throttlePct', 'lambda'] as const;

interface Result {
  readonly name: string;
  readonly requestsPerS: number;
  readonly fastHz: Record<string, number>;
  readonly coolantHz: number;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    delay: { type: 'string', default: '40' },
    wait: { type: 'string', default: '50' },
  },
});
const seconds = Number(values.seconds);
const timing: EmulatorTiming = {
  requestDelayMs: Number(values.delay),
  responseWaitMs: Number(values.wait),
  slowExtraMs: 0,
};

async function withEmulator<T>(run: (path: string, emulator: ElmEmulator) => Promise<T>): Promise<T> {
  const startedMs = performance.now();
  const nowS = () => (performance.now() - startedMs) / 1000;
  const emulator = new ElmEmulator(createVehicle(createStreetDrive(1)), NO_QUIRKS, timing, nowS);
  const path = join(mkdtempSync(join(tmpdir(), 'bench-obd-')), 'elm');
  const server = await serveElmEmulator(emulator, path);
  try {
    return await run(path, emulator);
  } finally {
    await server.close();
  }
}

/** Polls every channel PID one at a time in a fixed round robin. */
async function oneAtATime(): Promise<Result> {
  return withEmulator(async (path, emulator) => {
    const stream = await openSerialPort(path, { baudRate: 38400 });
    const elm = new Elm327(new ElmLink(stream));
    await elm.initialise('atz');
    const vehicle = await elm.connectVehicle();
    const pids = channelPids(vehicle.supportedByEcu.get('7E8')!);
    const counts = new Map<string, number>();

    const firstRequest = emulator.obdRequests;
    const endMs = performance.now() + seconds * 1000;
    while (performance.now() < endMs) {
      for (const spec of pids) {
        if (performance.now() >= endMs) break;
        const parsed = await elm.query(`01${pidHex(spec.pid)}`);
        for (const message of parsed.messages) {
          for (const { pid } of decodeMode01(message.data)) {
            const channel = pids.find((p) => p.pid === pid)?.channel;
            if (channel !== undefined) counts.set(channel, (counts.get(channel) ?? 0) + 1);
          }
        }
      }
    }
    await closeSerialPort(stream);
    return summarise('one PID per request, round robin', counts, emulator.obdRequests - firstRequest);
  });
}

/** Runs the OBD source with `options` appended to its path. */
async function withScheduler(name: string, options: string): Promise<Result> {
  return withEmulator(async (path, emulator) => {
    const spec = `${path}?baud=38400&codes=0&${options}`;
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
    const counts = new Map<string, number>();
    let measuring = false;
    const startedMs = performance.now();
    await source.start({
      sink: (batch) => {
        if (!measuring) return;
        for (const sample of batch) counts.set(sample.channel, (counts.get(sample.channel) ?? 0) + 1);
      },
      clock: { nowS: () => (performance.now() - startedMs) / 1000 },
      onStatus: () => {},
      onEvent: () => {},
    });
    const firstRequest = emulator.obdRequests;
    measuring = true;
    await Bun.sleep(seconds * 1000);
    measuring = false;
    const requests = emulator.obdRequests - firstRequest;
    await source.stop();
    return summarise(name, counts, requests);
  });
}

function summarise(name: string, counts: Map<string, number>, requests: number): Result {
  const fastHz: Record<string, number> = {};
  for (const channel of FAST_CHANNELS) fastHz[channel] = round((counts.get(channel) ?? 0) / seconds);
  const coolantHz = round((counts.get('coolantC') ?? 0) / seconds);
  return { name, requestsPerS: round(requests / seconds), fastHz, coolantHz };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const results = [
  await oneAtATime(),
  await withScheduler('scheduler, 1 PID per request', 'pids=1&count=0'),
  await withScheduler('scheduler, 6 PIDs per request, no count', 'pids=6&count=0'),
  await withScheduler('scheduler, 6 PIDs per request + count', 'pids=6'),
];

console.log(
  `ELM327 emulator on a pty: ${timing.requestDelayMs} ms per request, ` +
    `${timing.responseWaitMs} ms wait without a count, ${seconds} s per run`,
);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Bun ${Bun.version}`);
console.log('| polling | requests/s | rpm Hz | MAP Hz | throttle Hz | lambda Hz | coolant Hz |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const f = r.fastHz;
  const cells = [r.name, r.requestsPerS, f.rpm, f.mapKpa, f.throttlePct, f.lambda, r.coolantHz];
  console.log(`| ${cells.join(' | ')} |`);
}
const best = results[3].fastHz.rpm;
const naive = results[0].fastHz.rpm;
console.log(
  `\nrpm rate: ${round(best / naive)}x the one-at-a-time loop; physical limit with one ` +
    `request per ${timing.requestDelayMs} ms: ${round(1000 / timing.requestDelayMs)} Hz`,
);
