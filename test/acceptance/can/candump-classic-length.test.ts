/**
 * A classic CAN frame carries at most 8 data bytes, so a candump line with
 * one `#` and more bytes is damaged and must be skipped with its line.
 * Today such a line is decoded as if its first 8 bytes were the frame.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTABLE, freshFolder } from '../executable.ts';

const CAPTURE = [
  '(1700000000.000000) can0 360#0320012C003207DD',
  '(1700000000.010000) can0 360#0640012C003207DDAABB',
  '',
].join('\n');

describe('candump classic frame over 8 bytes', () => {
  test('decode skips the long line', async () => {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" first`);
    const folder = freshFolder('can-candump-length');
    const capture = join(folder, 'long-frame.log');
    writeFileSync(capture, CAPTURE);

    const child = Bun.spawn(
      [EXECUTABLE, 'decode', '--dbc', 'haltech-v2', '--message', 'HALTECH_360_ENGINE', capture],
      { cwd: folder, stdout: 'pipe', stderr: 'pipe' },
    );
    const [stdout, stderr] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    await child.exited;

    const engineSpeeds = stdout
      .split('\n')
      .filter((line) => line.includes('"signal":"EngineSpeed"'))
      .map((line) => (JSON.parse(line) as { value: number }).value);
    expect(engineSpeeds).toEqual([800]);
    expect(stderr).toContain('long-frame.log:2');
  }, 30_000);
});
