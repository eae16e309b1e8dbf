/**
 * The executable needs no other file, so `train --tiny` must work from a
 * folder without the repository's node_modules and write the four model
 * files.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTABLE, freshFolder } from '../executable.ts';

const MODEL_FILES = ['health.onnx', 'model.json', 'weights.bin', 'metadata.json'];

describe('train with the executable alone', () => {
  test('train --tiny outside the repository writes a model set', async () => {
    const folder = freshFolder('train-alone');
    const out = join(folder, 'models');
    const child = Bun.spawn([EXECUTABLE, 'train', '--tiny', '--quiet', '--out', out], {
      cwd: folder,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 50_000);

    const stderr = await new Response(child.stderr).text();
    const exitCode = await child.exited;
    clearTimeout(timer);

    expect(stderr).not.toContain('were not found under node_modules');
    expect(exitCode).toBe(0);
    for (const name of MODEL_FILES) expect(existsSync(join(out, name))).toBe(true);
  }, 58_000);
});
