import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrain } from '../../server/commands/train.ts';
import { MODEL_FILE_NAMES } from '../../server/inference/model-files.ts';
import { FEATURE_NAMES } from '../../server/inference/health/features.ts';

const root = mkdtempSync(join(tmpdir(), 'train-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function train(name: string, seed: number): Promise<string> {
  const out = join(root, name);
  const exitCode = await runTrain(['--tiny', '--quiet', '--seed', String(seed), '--out', out]);
  expect(exitCode).toBe(0);
  return out;
}

test('same seed gives identical model files', async () => {
  const first = await train('first', 5);
  const second = await train('second', 5);

  for (const name of Object.values(MODEL_FILE_NAMES)) {
    const a = readFileSync(join(first, name));
    const b = readFileSync(join(second, name));
    expect(`${name} ${a.length}`).toBe(`${name} ${b.length}`);
    expect(`${name} ${a.equals(b)}`).toBe(`${name} true`);
  }
  const metadata = JSON.parse(readFileSync(join(first, MODEL_FILE_NAMES.metadata), 'utf8'));
  expect(metadata.featureNames).toEqual([...FEATURE_NAMES]);
  expect(metadata.training.seed).toBe(5);
  expect(metadata.training.evaluation.kinds.length).toBeGreaterThan(0);
}, 120_000);

test('another seed gives other weights', async () => {
  const first = await train('seed-6', 6);
  const other = join(root, 'first');
  const a = readFileSync(join(first, MODEL_FILE_NAMES.tfjsWeights));
  const b = readFileSync(join(other, MODEL_FILE_NAMES.tfjsWeights));
  expect(a.equals(b)).toBe(false);
}, 120_000);

test('invalid seed is rejected', async () => {
  expect(await runTrain(['--seed', 'abc'])).toBe(2);
});
