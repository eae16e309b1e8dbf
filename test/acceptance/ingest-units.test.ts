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
import { freshFolder } from './executable.ts';

configureLogging({ isStderrEnabled: false });

/** Ticks to wait for a manual value to reach the stream. */
const MAX_TICKS = 100;

/** Writes a two-row OBD-II logger CSV, so the source ends and leaves manual input active. */
function writeShortObdLog(folder: string): string {
  const path = join(folder, 'short-obd.csv');
  writeFileSync(path, 'ENGINE_RUN_TINE (),ENGINE_RPM (),\n0.0, 800.0,\n1.0, 810.0,\n');
  return path;
}

/** Reads ticks until `channel` has a value, or `MAX_TICKS` have passed. */
async function nextValue(port: number, channel: string): Promise<number | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  let seen = 0;
  const value = await new Promise<number | null>((resolve) => {
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as TickMessage;
      if (message.type !== 'tick') return;
      seen++;
      const reading = message.channels[channel]?.value ?? null;
      if (reading !== null) resolve(reading);
      else if (seen >= MAX_TICKS) resolve(null);
    };
    ws.onerror = () => resolve(null);
  });
  ws.close();
  return value;
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
        const stored = await nextValue(monitor.port, sample.channel);
        expect(stored).not.toBeNull();
        expect(stored!).toBeCloseTo(sample.expectedKpa, 0);
      } else {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('gauge');
      }
    }, 30_000);
  }
});
