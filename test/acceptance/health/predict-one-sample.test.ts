/**
 * `POST /predict` takes one sample as well as a window. A single sample
 * with zero oil pressure at 7000 rpm and coolant at 140 °C describes an
 * engine about to fail, so the lubrication and cooling health must fall
 * below 100 with a reason for each.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../../server/cli/serve-options.ts';
import { configureLogging } from '../../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../../server/monitor.ts';
import { freshFolder } from '../executable.ts';

configureLogging({ isStderrEnabled: false });

interface PredictAnswer {
  readonly subsystems: Record<string, number>;
  readonly reasons: readonly { readonly subsystem: string; readonly text: string }[];
}

const FAILING_ENGINE = {
  rpm: 7000,
  mapKpa: 300,
  boostKpa: 200,
  coolantC: 140,
  oilPressureKpa: 0,
  lambda: 1.3,
};

describe('prediction of one sample', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const options = parseServeOptions(['--port', '0', '--data-dir', freshFolder('predict-one')], {});
    monitor = await startMonitor(options);
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('zero oil pressure and boiling coolant lower health', async () => {
    const response = await fetch(`http://127.0.0.1:${monitor.port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sample: FAILING_ENGINE }),
    });

    expect(response.status).toBe(200);
    const answer = (await response.json()) as PredictAnswer;
    expect(answer.subsystems.lubrication).toBeLessThan(100);
    expect(answer.subsystems.cooling).toBeLessThan(100);
    const subsystemsWithReasons = answer.reasons.map((reason) => reason.subsystem);
    expect(subsystemsWithReasons).toContain('lubrication');
    expect(subsystemsWithReasons).toContain('cooling');
  }, 40_000);
});
