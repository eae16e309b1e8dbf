/**
 * Some ELM327 clones ignore `ATH1` and print replies without CAN headers.
 * A request for several PIDs then comes back as an ISO-TP multi-frame
 * reply in the header-less layout: a byte-count line, then `0:`, `1:`
 * lines. Run against the built-in emulator's `no-headers` clone, the
 * monitor must still receive engine speed, manifold pressure and throttle,
 * the fast PIDs that it bundles into such multi-PID requests.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import {
  obdFolder,
  pidRateHz,
  startEmulator,
  startObdMonitor,
  waitForObdRequests,
  type RunningChild,
  type RunningObdMonitor,
} from './support.ts';

const FAST_PIDS = { '0C': 'engine speed', '0B': 'manifold pressure', '11': 'throttle' };

describe('an adapter that prints no headers', () => {
  let emulator: RunningChild;
  let monitor: RunningObdMonitor;

  beforeAll(async () => {
    const folder = obdFolder('no-headers');
    const link = join(folder, 'elm');
    emulator = await startEmulator(link, ['--clone', 'no-headers']);
    monitor = await startObdMonitor(folder, ['--source', `obd:${link}`]);
  });

  afterAll(async () => {
    await monitor?.stop();
    await emulator?.stop();
  });

  for (const [pid, name] of Object.entries(FAST_PIDS)) {
    test(`still delivers ${name} (PID ${pid})`, async () => {
      const status = await waitForObdRequests(monitor.port, 60);

      expect(status.state).toBe('live');
      expect(pidRateHz(status, pid)).toBeGreaterThan(0);
    });
  }
});
