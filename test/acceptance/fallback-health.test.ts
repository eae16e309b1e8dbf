/**
 * When the OBD-II adapter named on the command line cannot be opened, the
 * monitor streams the simulator instead. `/health` must then say that the
 * monitor is degraded, as it does for a failed replay, so that nobody
 * takes simulated engine values for the car's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import type { HealthResponse } from '../../server/protocol.ts';
import { fetchHealth, freshFolder } from './executable.ts';

configureLogging({ isStderrEnabled: false });

/** Polls `/health` until the simulator is the active source. */
async function waitForSimulator(port: number): Promise<HealthResponse> {
  let report = await fetchHealth(port);
  for (let attempt = 0; attempt < 100 && report.sources.active !== 'sim'; attempt++) {
    await Bun.sleep(100);
    report = await fetchHealth(port);
  }
  return report;
}

describe('OBD-II adapter missing at start-up', () => {
  let monitor: RunningMonitor;
  let adapterPath: string;

  beforeAll(async () => {
    const folder = freshFolder('fallback');
    adapterPath = join(folder, 'no-adapter');
    const args = ['--port', '0', '--data-dir', join(folder, 'data'), '--source', `obd:${adapterPath}`];
    monitor = await startMonitor(parseServeOptions(args, {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('health is degraded on the simulator fallback', async () => {
    const report = await waitForSimulator(monitor.port);

    expect(report.sources.active).toBe('sim');
    const adapter = report.sources.sources.find((source) => source.id === `obd:${adapterPath}`);
    expect(adapter?.state).not.toBe('live');
    expect(report.status).toBe('degraded');
  }, 30_000);
});
