/**
 * The pipeline with the real DSP core and the simulator, stepped on a
 * virtual clock: every tick is numbered and timed on the grid, all five
 * derived metrics appear once their inputs and windows are filled, limit
 * states come from the profile, and a change of source clears history.
 */
import { beforeAll, expect, test } from 'bun:test';
import { CORE_WASM } from '../../server/assets.ts';
import { loadProfile } from '../../server/config/load-profile.ts';
import { loadDspCore } from '../../server/core/dsp.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { VirtualScheduler } from '../../server/pipeline/clock.ts';
import { DspSignalProcessor } from '../../server/pipeline/dsp-signal-processor.ts';
import { Pipeline } from '../../server/pipeline/pipeline.ts';
import { DERIVED_IDS, TICK_HZ, type TickMessage } from '../../server/protocol.ts';
import { SourceManager } from '../../server/sources/manager.ts';
import { createSimSource } from '../../server/sources/sim/index.ts';

configureLogging({ isStderrEnabled: false });

let ticks: TickMessage[] = [];

beforeAll(async () => {
  const profile = await loadProfile('stock-twin');
  const core = await loadDspCore(await Bun.file(CORE_WASM).arrayBuffer());
  const sim = createSimSource('?seed=3&scenario=street', { flags: {}, dataDir: '/tmp' });
  const sources = new SourceManager([sim]);
  const pipeline = new Pipeline({ processor: new DspSignalProcessor(core, profile), sources });
  const scheduler = new VirtualScheduler(1 / TICK_HZ);

  await sources.start(scheduler.clock, pipeline.ingest, pipeline.addEvent, pipeline.onSourceSwitch);
  pipeline.subscribe((tick) => ticks.push(tick));
  const tickLimit = Math.round(600 * TICK_HZ);
  await scheduler.start(async (timeS) => {
    await pipeline.tick(timeS);
    return pipeline.tickCount() < tickLimit;
  });
});

test('ticks are numbered and on the grid', () => {
  expect(ticks.length).toBe(Math.round(600 * TICK_HZ));
  for (let i = 0; i < ticks.length; i++) {
    expect(ticks[i].seq).toBe(i);
    expect(ticks[i].timeS).toBeCloseTo(i / TICK_HZ, 9);
  }
});

test('all five derived metrics appear', () => {
  for (const id of DERIVED_IDS) {
    const present = ticks.filter((t) => typeof t.derived[id] === 'number');
    expect(present.length).toBeGreaterThan(0);
  }
});

test('windowed metrics wait for their windows', () => {
  const first = ticks[0];
  expect(first.derived.oilTempSwing).toBeUndefined();
  expect(first.derived.coolantRiseRate).toBeUndefined();
});

test('simulator is the active source throughout', () => {
  expect(ticks.every((t) => t.sources.active === 'sim:?seed=3&scenario=street')).toBe(true);
  expect(ticks[0].events?.some((e) => e.kind === 'source-change')).toBe(true);
});

test('healthy drive raises no danger state', () => {
  const danger = ticks.flatMap((t) =>
    Object.entries(t.channels)
      .filter(([, reading]) => reading?.state === 'danger')
      .map(([id]) => `${id}@${t.timeS.toFixed(1)}s`),
  );
  expect(danger).toEqual([]);
});
