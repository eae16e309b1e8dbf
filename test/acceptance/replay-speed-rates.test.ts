/**
 * Rates are per second of the engine's time. A log whose coolant rises
 * 0.5 °C per second must show a coolant rise rate near 0.5 °C/s whether
 * it is replayed at maximum speed (virtual clock) or four times faster
 * than recorded (wall clock), not four times that.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor } from '../../server/monitor.ts';
import type { TickMessage } from '../../server/protocol.ts';
import { fetchHealth, freshFolder, runToExit } from './executable.ts';

configureLogging({ isStderrEnabled: false });

const LOG_DURATION_S = 60;
const COOLANT_RISE_C_PER_S = 0.5;

/** Writes an OBD-II logger CSV with one row per second and a steady coolant rise. */
function writeWarmUpLog(folder: string): string {
  const rows = ['ENGINE_RUN_TINE (),ENGINE_RPM (),COOLANT_TEMPERATURE (),'];
  for (let second = 0; second <= LOG_DURATION_S; second++) {
    const coolantC = 60 + COOLANT_RISE_C_PER_S * second;
    rows.push(`${second}.000000, 900.000000, ${coolantC.toFixed(6)},`);
  }
  const path = join(folder, 'warm-up.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

/** Returns the median coolant rise rate of a JSON-lines file of ticks. */
function medianRiseRate(jsonlPath: string): number {
  const rates = readFileSync(jsonlPath, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as TickMessage).derived.coolantRiseRate)
    .filter((rate): rate is number => rate !== undefined)
    .sort((a, b) => a - b);
  if (rates.length === 0) throw new Error(`no tick in ${jsonlPath} has a coolant rise rate`);
  return rates[Math.floor(rates.length / 2)]!;
}

/** Polls `/health` until the replay source has ended. */
async function waitForReplayEnd(port: number): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const report = await fetchHealth(port);
    const replay = report.sources.sources.find((source) => source.kind === 'replay');
    if (replay?.state === 'ended') return;
    await Bun.sleep(100);
  }
  throw new Error('the replay did not end within 60 s');
}

describe('coolant rise rate of an accelerated replay', () => {
  test('speed=max shows the logged rate', async () => {
    const folder = freshFolder('rates-max');
    const log = writeWarmUpLog(folder);
    const jsonl = join(folder, 'ticks.jsonl');

    const run = await runToExit(
      ['--port', '0', '--source', `replay:${log}?speed=max`, '--jsonl', jsonl],
      30_000,
      folder,
    );

    expect(run.exitCode).toBe(0);
    expect(medianRiseRate(jsonl)).toBeCloseTo(COOLANT_RISE_C_PER_S, 1);
  }, 40_000);

  test('speed=4 shows the logged rate', async () => {
    const folder = freshFolder('rates-x4');
    const log = writeWarmUpLog(folder);
    const jsonl = join(folder, 'ticks.jsonl');
    const args = ['--port', '0', '--data-dir', join(folder, 'data'), '--jsonl', jsonl];
    const sources = ['--source', `replay:${log}?speed=4`, '--fallback', 'none'];
    const monitor = await startMonitor(parseServeOptions([...args, ...sources], {}));

    await waitForReplayEnd(monitor.port);
    await monitor.stop();

    expect(medianRiseRate(jsonl)).toBeCloseTo(COOLANT_RISE_C_PER_S, 1);
  }, 90_000);
});
