/**
 * Benchmark of the whole pipeline, in two parts:
 *
 * 1. Replay of a real log (`../shared/data/logs/ecu/long.mlg` unless a path
 *    is given) at maximum speed through sources, DSP core, derived metrics,
 *    limits, stages and the JSON-lines encoder: ticks per second and the
 *    ratio to real time (the log's own duration is the physical limit).
 * 2. The live loop with the simulator for `--live-seconds` (default 60):
 *    tick interval error and lateness against the 1 / 23.5999 s grid, and
 *    processing time per tick (p50, p99).
 *
 *   bun bench/pipeline.ts [--log FILE] [--live-seconds N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseServeOptions } from '../server/cli/serve-options.ts';
import { configureLogging } from '../server/log/logger.ts';
import { startMonitor } from '../server/monitor.ts';
import { LatencyWindow } from '../server/pipeline/latency-window.ts';
import { TICK_HZ } from '../server/protocol.ts';
import { SHARED_DATA_DIR } from '../test/support/shared-data.ts';

configureLogging({ isStderrEnabled: false });

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    log: { type: 'string', default: join(SHARED_DATA_DIR, 'logs/ecu/long.mlg') },
    'live-seconds': { type: 'string', default: '60' },
  },
});

function format(p: { p50: number; p99: number; max: number; count: number }): string {
  return `p50 ${p.p50.toFixed(3)} ms, p99 ${p.p99.toFixed(3)} ms, max ${p.max.toFixed(3)} ms (n=${p.count})`;
}

async function benchReplay(logPath: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), '2jz-bench-'));
  const options = parseServeOptions(
    ['--source', `replay:${logPath}?speed=max`, '--port', '0', '--data-dir', dataDir, '--jsonl', join(dataDir, 'ticks.jsonl')],
    {},
  );
  const started = performance.now();
  const monitor = await startMonitor(options);
  await monitor.finished;
  const elapsedS = (performance.now() - started) / 1000;
  const ticks = monitor.context.pipeline.tickCount();
  const processing = monitor.context.pipeline.processing.percentiles();
  await monitor.stop();

  const sessionS = ticks / TICK_HZ;
  console.log(`replay ${logPath}`);
  console.log(`  ticks: ${ticks} (${sessionS.toFixed(0)} s of session time) in ${elapsedS.toFixed(2)} s`);
  console.log(`  ticks per second: ${(ticks / elapsedS).toFixed(0)}`);
  console.log(`  ratio to real time: ${(sessionS / elapsedS).toFixed(0)}x`);
  console.log(`  processing per tick (last ${processing.count}): ${format(processing)}`);
}

async function benchLive(seconds: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), '2jz-bench-'));
  const monitor = await startMonitor(parseServeOptions(['--port', '0', '--data-dir', dataDir], {}));
  const lateness = new LatencyWindow(Math.ceil(seconds * TICK_HZ) + 100);
  const intervalError = new LatencyWindow(Math.ceil(seconds * TICK_HZ) + 100);
  let previousWallMs: number | null = null;
  const periodMs = 1000 / TICK_HZ;

  monitor.context.scheduler.onLateness?.((ms) => lateness.record(Math.max(0, ms)));
  monitor.context.pipeline.subscribe(() => {
    const now = performance.now();
    if (previousWallMs !== null) intervalError.record(Math.abs(now - previousWallMs - periodMs));
    previousWallMs = now;
  });
  await Bun.sleep(seconds * 1000);
  const processing = monitor.context.pipeline.processing.percentiles();
  const stats = monitor.context.scheduler.stats();
  await monitor.stop();

  console.log(`live loop, simulator, ${seconds} s`);
  console.log(`  ticks: ${stats.ticks}, skipped deadlines: ${stats.skipped}, measured rate ${stats.measuredHz.toFixed(3)} Hz (nominal ${TICK_HZ})`);
  console.log(`  tick interval error: ${format(intervalError.percentiles())}`);
  console.log(`  tick lateness vs grid: ${format(lateness.percentiles())}`);
  console.log(`  processing per tick: ${format(processing)}`);
}

await benchReplay(values.log!);
await benchLive(Number(values['live-seconds']));
process.exit(0);
