/**
 * The README promises model-based health per subsystem in the live
 * stream. With the simulator running, ticks must soon carry a `health`
 * section with a 0-100 score for each subsystem and the output of both
 * model backends.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import { SUBSYSTEMS } from '../../server/protocol.ts';
import { firstMatchingTick, freshFolder } from './executable.ts';

configureLogging({ isStderrEnabled: false });

/** Ticks to wait for model warm-up: about 12.7 s of stream at 23.6 Hz. */
const MAX_TICKS = 300;

describe('health section of the stream', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const dataDir = freshFolder('stream-health');
    monitor = await startMonitor(parseServeOptions(['--port', '0', '--data-dir', dataDir], {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('simulator ticks carry subsystem health', async () => {
    const tick = await firstMatchingTick(monitor.port, (message) => message.health !== undefined, MAX_TICKS);

    expect(tick).not.toBeNull();
    const health = tick!.health!;
    for (const subsystem of SUBSYSTEMS) {
      expect(health.subsystems[subsystem]).toBeGreaterThanOrEqual(0);
      expect(health.subsystems[subsystem]).toBeLessThanOrEqual(100);
    }
    const backends = health.backends.map((output) => output.backend).sort();
    expect(backends).toEqual(['onnx', 'tfjs']);
  }, 40_000);
});
