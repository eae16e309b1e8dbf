/**
 * A second monitor started on the port of a running one must stop with a
 * message that names the port, not listen beside the first one and share
 * its connections at random.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import { freshFolder, plainLines, runToExit } from './executable.ts';

configureLogging({ isStderrEnabled: false });

describe('port already taken by a running monitor', () => {
  let first: RunningMonitor;

  beforeAll(async () => {
    const dataDir = freshFolder('first');
    first = await startMonitor(parseServeOptions(['--port', '0', '--data-dir', dataDir], {}));
  });
  afterAll(async () => {
    await first.stop();
  });

  test('second executable exits naming the port', async () => {
    const port = String(first.port);

    const run = await runToExit(['--port', port], 15_000);

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain(port);
    expect(run.stdout).not.toContain(`dashboard at http://127.0.0.1:${port}/`);
  }, 30_000);
});
