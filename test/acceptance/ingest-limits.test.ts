/**
 * `POST /ingest` with bodies past the size limit: the reply is a JSON
 * error that names the limit, like every other rejected request, nothing
 * is stored and the monitor keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import { fetchHealth, freshFolder, manualSamples } from './executable.ts';

configureLogging({ isStderrEnabled: false });

/** Body size above the 64 MiB limit, so it stays oversized if the limit is lowered. */
const OVERSIZED_BODY_BYTES = 70 * 1024 * 1024;

describe('oversized POST /ingest', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const dataDir = freshFolder('ingest-limits');
    monitor = await startMonitor(parseServeOptions(['--port', '0', '--data-dir', dataDir], {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('413 with a JSON error naming the limit', async () => {
    const before = manualSamples(await fetchHealth(monitor.port));
    const sample = '{"channel":"coolantC","value":91';
    const body = sample + ' '.repeat(OVERSIZED_BODY_BYTES - sample.length - 1) + '}';

    const response = await fetch(`http://127.0.0.1:${monitor.port}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();

    expect(response.status).toBe(413);
    expect(text).not.toBe('');
    const reply = JSON.parse(text) as { error?: { message?: string } };
    expect(reply.error?.message ?? '').toMatch(/\d/);
    expect(manualSamples(await fetchHealth(monitor.port))).toBe(before);
  }, 30_000);
});
