/**
 * A battery reading of 25.3 V is outside the 12-15 V band of a 12 V car.
 * The reason must name the measured voltage, not its distance from the
 * band, which reads like a flat battery.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../../server/cli/serve-options.ts';
import { configureLogging } from '../../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../../server/monitor.ts';
import { freshFolder } from '../executable.ts';

configureLogging({ isStderrEnabled: false });

const TICK_RATE_HZ = 23.6;
const HIGH_BATTERY_V = 25.3;

interface Reason {
  readonly code: string;
  readonly text: string;
}

/** Returns a 100 s window of cruising samples with the battery at `batteryV`. */
function steadyWindow(batteryV: number): object[] {
  const samples: object[] = [];
  for (let i = 0; i < 2400; i++) {
    samples.push({ timeS: i / TICK_RATE_HZ, rpm: 2000, mapKpa: 60, coolantC: 88, iatC: 30, batteryV });
  }
  return samples;
}

describe('battery voltage above its band', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const options = parseServeOptions(['--port', '0', '--data-dir', freshFolder('battery')], {});
    monitor = await startMonitor(options);
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('the prediction reason names the measured voltage', async () => {
    const response = await fetch(`http://127.0.0.1:${monitor.port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: steadyWindow(HIGH_BATTERY_V) }),
    });

    expect(response.status).toBe(200);
    const answer = (await response.json()) as { reasons: Reason[] };
    const battery = answer.reasons.find((reason) => reason.code === 'battery.high');
    expect(battery).toBeDefined();
    expect(battery!.text).toContain(`${HIGH_BATTERY_V} V`);
  }, 40_000);
});
