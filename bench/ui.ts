/**
 * @module Measures the dashboard. It sets bundle sizes beside Lit and uPlot
 * bundled alone, and min/max decimation beside a plain copy of the same
 * window (under Bun). In headless Chromium it times redrawing every chart
 * with five minutes of history, beside the 16.7 ms frame of a 60 Hz display,
 * and counts redraws per second while ticks arrive in real time.
 * Run: `bun bench/ui.ts`.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TICK_HZ } from '../server/protocol.ts';
import { buildUi } from '../ui/build-ui.ts';
import { decimateMinMax } from '../ui/src/decimate.ts';
import { SeriesHistory } from '../ui/src/series-history.ts';
import { ensureUiBuild, hasChromium, launchChromium } from '../test/ui/support/browser.ts';
import { startTickHarness, type TickHarness } from '../test/ui/support/tick-harness.ts';
import type { Page } from 'playwright-core';
import { makeTick, reading } from '../test/ui/support/ticks.ts';

const HISTORY_S = 300;
const CHART_WIDTH_PX = 600;
const REPEATS = 200;
const RATE_SECONDS = 10;

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function measureBundle(): Promise<void> {
  const outDir = join(import.meta.dir, '../ui/build');
  const paths = await buildUi(outDir);
  console.log('## Bundle\n\n| file | size | gzip |\n|---|---|---|');
  for (const path of paths) {
    const bytes = await Bun.file(path).bytes();
    console.log(`| ${path.split('/').pop()} | ${kib(bytes.length)} | ${kib(gzipSync(bytes).length)} |`);
  }
  const libraries = await Bun.build({
    entrypoints: [join(import.meta.dir, 'ui-libraries.ts')],
    target: 'browser',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const bytes = new Uint8Array(await libraries.outputs[0].arrayBuffer());
  console.log(`| Lit + uPlot alone (peer) | ${kib(bytes.length)} | ${kib(gzipSync(bytes).length)} |\n`);
}

function fullHistory(): SeriesHistory {
  const ticks = Math.ceil(HISTORY_S * TICK_HZ);
  const history = new SeriesHistory(ticks);
  for (let i = 0; i < ticks; i++) {
    const t = i / TICK_HZ;
    history.append(t, [
      ['coolantC', 85 + 10 * Math.sin(t / 60)],
      ['oilTempC', 95 + 8 * Math.sin(t / 80)],
      ['iatC', 30 + 5 * Math.sin(t / 7)],
    ]);
  }
  return history;
}

/** Copies the window into plain arrays: what a chart without decimation needs. */
function plainCopy(history: SeriesHistory, keys: readonly string[]): number[][] {
  const columns = keys.map((key) => history.column(key)!);
  const out: number[][] = [[], ...keys.map(() => [])];
  for (let i = 0; i < history.length; i++) {
    const slot = history.slotAt(i);
    out[0].push(history.timeS[slot]);
    columns.forEach((column, s) => out[s + 1].push(column[slot]));
  }
  return out;
}

function timeMs(run: () => unknown): number {
  for (let i = 0; i < 20; i++) run();
  const start = performance.now();
  for (let i = 0; i < REPEATS; i++) run();
  return (performance.now() - start) / REPEATS;
}

function measureDecimation(): void {
  const history = fullHistory();
  const keys = ['coolantC', 'oilTempC', 'iatC'];
  const toS = history.latestTimeS();
  const window = { fromS: toS - HISTORY_S, toS, buckets: CHART_WIDTH_PX, originS: toS };
  const rows = decimateMinMax(history, keys, window)[0].length;
  const decimateMs = timeMs(() => decimateMinMax(history, keys, window));
  const copyMs = timeMs(() => plainCopy(history, keys));
  console.log(`## Decimation under Bun ${Bun.version}\n`);
  console.log(`${history.length} ticks x ${keys.length} series to ${CHART_WIDTH_PX} px:\n`);
  console.log(`| step | time per call | rows handed to uPlot |\n|---|---|---|`);
  console.log(`| min/max decimation | ${decimateMs.toFixed(3)} ms | ${rows} |`);
  console.log(`| plain copy (peer) | ${copyMs.toFixed(3)} ms | ${history.length} |\n`);
}

async function measureRedraw(): Promise<void> {
  if (!hasChromium()) return;
  const harness = startTickHarness(await ensureUiBuild());
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(harness.url);
    await harness.waitForConnections(1);
    const ticks = Math.ceil(HISTORY_S * TICK_HZ);
    for (let seq = 0; seq < ticks; seq++) {
      harness.send(makeTick(seq, { channels: { rpm: reading(2000 + 1500 * Math.sin(seq / 30)) } }));
    }
    await page.waitForFunction(
      (n) => (document.querySelector('monitor-app') as any).stream.ticksReceived >= n,
      ticks,
    );
    // uPlot draws in a microtask after setData, so each call awaits one
    // microtask turn to include the canvas drawing in its time.
    const result = await page.evaluate(async (repeats) => {
      /** Returns the median over 7 rounds of the time per call of `step`, in ms. */
      const medianMs = async (step: () => void): Promise<number> => {
        const rounds: number[] = [];
        for (let round = 0; round < 7; round++) {
          const start = performance.now();
          for (let i = 0; i < repeats; i++) {
            step();
            await null;
          }
          rounds.push((performance.now() - start) / repeats);
        }
        return rounds.sort((a, b) => a - b)[3];
      };
      const charts = [...document.querySelectorAll('time-chart')] as any[];
      const temperatures = charts.find((chart) => chart.dataset.chart === 'temperatures');

      // The same chart fed the whole window without decimation, as the peer.
      const history = (document.querySelector('monitor-app') as any).stream.history;
      const latest = history.latestTimeS();
      const raw: (number | null)[][] = [[], ...temperatures.group.series.map(() => [])];
      for (let i = 0; i < history.length; i++) {
        const slot = history.slotAt(i);
        raw[0].push(history.timeS[slot] - latest);
        temperatures.group.series.forEach((series: { key: string }, s: number) => {
          const value = history.column(series.key)?.[slot];
          raw[s + 1].push(Number.isNaN(value) ? null : value);
        });
      }

      const allMs = await medianMs(() => charts.forEach((chart) => chart.redraw()));
      const rawMs = await medianMs(() => temperatures.plot.setData(raw));
      const decimatedMs = await medianMs(() => temperatures.redraw());
      const rows = temperatures.plot.data[0].length;
      return { charts: charts.length, allMs, rawMs, decimatedMs, rows, rawRows: raw[0].length };
    }, 30);
    console.log(`## Redraw in Chromium (${ticks} ticks of history)\n`);
    console.log(`| step | time per frame | budget |\n|---|---|---|`);
    console.log(`| redraw all ${result.charts} charts | ${result.allMs.toFixed(2)} ms | 16.7 ms at 60 Hz |`);
    console.log(
      `| temperature chart, decimated to ${result.rows} rows | ${result.decimatedMs.toFixed(2)} ms | |`,
    );
    console.log(
      `| temperature chart, all ${result.rawRows} rows (peer) | ${result.rawMs.toFixed(2)} ms | |\n`,
    );
    await measureDrawRate(page, harness, ticks);
  } finally {
    await browser.close();
    await harness.stop();
  }
}

/** Streams ticks in real time and counts how often each chart redraws. */
async function measureDrawRate(page: Page, harness: TickHarness, firstSeq: number): Promise<void> {
  const drawCounts = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('time-chart')].map(
        (chart: any): [string, number] => [chart.dataset.chart, chart.drawCount],
      ),
    );
  const before = new Map(await drawCounts());
  const start = performance.now();
  const periodMs = 1000 / TICK_HZ;
  for (let i = 0; i < RATE_SECONDS * TICK_HZ; i++) {
    harness.send(makeTick(firstSeq + i));
    await Bun.sleep(Math.max(0, start + (i + 1) * periodMs - performance.now()));
  }
  const elapsedS = (performance.now() - start) / 1000;
  console.log(`## Redraws per second while ticks arrive at ${TICK_HZ.toFixed(1)} Hz\n`);
  console.log('| chart | redraws/s |\n|---|---|');
  for (const [chart, count] of await drawCounts()) {
    console.log(`| ${chart} | ${((count - before.get(chart)!) / elapsedS).toFixed(1)} |`);
  }
  console.log('');
}

const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
const load = loadavg()[0].toFixed(1);
console.log(`# Dashboard benchmark\n\nMachine: ${cpus().length} x ${cpuModel}, load average ${load}\n`);
await measureBundle();
measureDecimation();
await measureRedraw();
