/**
 * A Vector ASC data byte that is not two hex digits must make its line
 * unreadable instead of decoding a guess. Today "2G" is read as 0x02 and
 * "0x3" as 0x03, so a damaged line gives a plausible but wrong 770 rpm.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTABLE, freshFolder } from '../executable.ts';

const ASC = [
  'date Fri Dec 04 04:34:11.613 PM 2026',
  'base hex  timestamps absolute',
  'Begin Triggerblock',
  ' 0.000000 1  360             Rx   d 8 03 20 01 2C 00 32 07 DD',
  ' 0.010000 1  360             Rx   d 8 03 2G 01 2C 00 32 07 DD',
  ' 0.020000 1  360             Rx   d 8 0x3 20 01 2C 00 32 07 DD',
  'End TriggerBlock',
  '',
].join('\n');

describe('ASC line with a damaged data byte', () => {
  test('decode skips damaged lines', async () => {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" first`);
    const folder = freshFolder('can-asc-bytes');
    const capture = join(folder, 'damaged.asc');
    writeFileSync(capture, ASC);

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
    expect(stderr).toContain('damaged.asc:5');
  }, 30_000);
});
