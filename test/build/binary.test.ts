/**
 * The compiled executable copied alone into an empty folder: it serves the
 * dashboard and `/health` with the simulator, and turns a real log into a
 * file of ticks with a replay at maximum speed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR, sharedDataFile } from '../support/shared-data.ts';

const BINARY = join(REPO_DIR, 'dist', '2jz-monitor');

/** Copies the executable into a fresh empty folder and returns its path there. */
function isolatedBinary(): { dir: string; binary: string } {
  if (!existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing; run "bun build.ts" (npm test does) before these tests`);
  }
  const dir = mkdtempSync(join(tmpdir(), '2jz-binary-'));
  const binary = join(dir, '2jz-monitor');
  copyFileSync(BINARY, binary);
  Bun.spawnSync(['chmod', '+x', binary]);
  return { dir, binary };
}

/** Reads stdout until the dashboard URL line appears and returns the port. */
async function waitForPort(stream: ReadableStream<Uint8Array>): Promise<number> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const match = /dashboard at http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
    if (match) {
      reader.releaseLock();
      return Number(match[1]);
    }
  }
  throw new Error(`the executable exited before printing its port; output: ${text}`);
}

describe('executable in an empty folder', () => {
  let process: ReturnType<typeof Bun.spawn>;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    const isolated = isolatedBinary();
    dir = isolated.dir;
    process = Bun.spawn([isolated.binary, '--port', '0', '--data-dir', join(dir, 'data')], {
      cwd: dir,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    port = await waitForPort(process.stdout as ReadableStream<Uint8Array>);
  });

  afterAll(async () => {
    process.kill('SIGTERM');
    await process.exited;
  });

  test('serves health with the simulator active', async () => {
    await Bun.sleep(500);
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health.sources.active).toBe('sim');
    expect(health.ticks).toBeGreaterThan(3);
  });

  test('serves the embedded dashboard', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const script = /src="\/?([^"]+\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const bundle = await fetch(`http://127.0.0.1:${port}/${script![1]}`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(10_000);
  });

  test('writes rotated logs under the data folder', () => {
    expect(statSync(join(dir, 'data', 'logs', 'monitor.log')).size).toBeGreaterThan(0);
  });
});

describe('executable replaying a real log at maximum speed', () => {
  const log = sharedDataFile('logs/ecu/long.mlg');

  test.skipIf(log === null)('turns the log into JSON lines of ticks', async () => {
    const { dir, binary } = isolatedBinary();
    const out = join(dir, 'ticks.jsonl');
    const run = Bun.spawn(
      [binary, '--source', `replay:${log}?speed=max`, '--jsonl', out, '--port', '0', '--data-dir', join(dir, 'data')],
      { cwd: dir, stdout: 'pipe', stderr: 'pipe' },
    );
    expect(await run.exited).toBe(0);

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    // Fifty-two minutes of log, with its long gaps compressed, at 23.6 ticks/s.
    expect(lines.length).toBeGreaterThan(23.6 * 60 * 30);
    const ticks = lines.map((line) => JSON.parse(line));
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].seq).toBe(ticks[i - 1].seq + 1);
    const withRpm = ticks.filter((t) => typeof t.channels.rpm?.value === 'number');
    expect(withRpm.length).toBeGreaterThan(ticks.length * 0.5);
    const metrics = new Set(ticks.flatMap((t) => Object.keys(t.derived)));
    // The drive never reaches boost and logs no oil temperature, so turboDeviation
    // and oilTempSwing are absent, as they must be without their inputs.
    for (const id of ['afrDelta', 'coolantRiseRate', 'boostGradient']) {
      expect(metrics.has(id)).toBe(true);
    }
    expect(metrics.has('turboDeviation')).toBe(false);
    expect(metrics.has('oilTempSwing')).toBe(false);
  }, 120_000);
});
