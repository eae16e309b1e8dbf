/**
 * `POST /ingest` with a bare `psi` or `bar` on a gauge channel. Oil
 * pressure senders and boost gauges read gauge pressure, so 60 psi of oil
 * pressure is 413.7 kPa gauge and 1 bar of boost is 100 kPa gauge. The
 * monitor must either store those values or reject the sample and ask for
 * the gauge spelling; it must not subtract an atmosphere in silence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import type { TickMessage } from '../../server/protocol.ts';
import { firstMatchingTick, freshFolder } from './executable.ts';

configureLogging({ isStderrEnabled: false });

/** Ticks to wait for a manual value to reach the stream. */
const MAX_TICKS = 100;

/** Writes a two-row OBD-II logger CSV, so the source ends and leaves manual input active. */
function writeShortObdLog(folder: string): string {
  const path = join(folder, 'short-obd.csv');
  writeFileSync(path, 'ENGINE_RUN_TINE (),ENGINE_RPM (),\n0.0, 800.0,\n1.0, 810.0,\n');
  return path;
}

describe('bare psi and bar on gauge channels', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const folder = freshFolder('ingest-units');
    const log = writeShortObdLog(folder);
    const args = ['--port', '0', '--data-dir', join(folder, 'data')];
    const sources = ['--source', `replay:${log}`, '--fallback', 'none'];
    monitor = await startMonitor(parseServeOptions([...args, ...sources], {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  const cases = [
    { channel: 'oilPressureKpa', value: 60, unit: 'psi', expectedKpa: 413.69 },
    { channel: 'boostKpa', value: 1, unit: 'bar', expectedKpa: 100 },
  ];

  for (const sample of cases) {
    test(`${sample.channel} in ${sample.unit}`, async () => {
      const response = await fetch(`http://127.0.0.1:${monitor.port}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: sample.channel, value: sample.value, unit: sample.unit }),
      });

      if (response.status === 200) {
        const hasValue = (tick: TickMessage) => (tick.channels[sample.channel]?.value ?? null) !== null;
        const tick = await firstMatchingTick(monitor.port, hasValue, MAX_TICKS);
        expect(tick).not.toBeNull();
        expect(tick!.channels[sample.channel]!.value!).toBeCloseTo(sample.expectedKpa, 0);
      } else {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('gauge');
      }
    }, 30_000);
  }
});
