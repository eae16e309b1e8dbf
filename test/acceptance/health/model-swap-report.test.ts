/**
 * After `PATCH /update_model` accepts a model set, `/health` must say the
 * uploaded set runs: the same report a restart gives for a stored set,
 * not the embedded one. The stream keeps ticking across the swap.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseServeOptions } from '../../../server/cli/serve-options.ts';
import { configureLogging } from '../../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../../server/monitor.ts';
import { REPO_DIR } from '../../support/shared-data.ts';
import { fetchHealth, freshFolder } from '../executable.ts';

configureLogging({ isStderrEnabled: false });

const TOKEN = 'acceptance-token-0123';
const MODEL_FILES = ['health.onnx', 'model.json', 'weights.bin', 'metadata.json'];

function shippedModelBody(): string {
  const files: Record<string, string> = {};
  for (const name of MODEL_FILES) {
    files[name] = readFileSync(join(REPO_DIR, 'models', name)).toString('base64');
  }
  return JSON.stringify({ files });
}

describe('model swap seen in /health', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const args = ['--port', '0', '--token', TOKEN, '--data-dir', freshFolder('model-swap')];
    monitor = await startMonitor(parseServeOptions(args, {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('an accepted upload is reported as the running model set', async () => {
    const before = await fetchHealth(monitor.port);

    const response = await fetch(`http://127.0.0.1:${monitor.port}/update_model`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: shippedModelBody(),
    });

    expect(response.status).toBe(200);
    // The swap can finish within one tick period, so wait for the next tick.
    let after = await fetchHealth(monitor.port);
    for (let attempt = 0; attempt < 100 && after.ticks <= before.ticks; attempt++) {
      await Bun.sleep(50);
      after = await fetchHealth(monitor.port);
    }
    expect(after.ticks).toBeGreaterThan(before.ticks);
    const report = after as unknown as { inference: { models: { modelSource: string } } };
    expect(report.inference.models.modelSource).not.toBe('embedded');
  }, 50_000);
});
