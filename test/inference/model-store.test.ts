import { afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_FILE_NAMES } from '../../server/inference/model-files.ts';
import {
  loadStoredModelSet,
  removeStoreLeftovers,
  storeModelSet,
  type StoreStep,
} from '../../server/inference/model-store.ts';
import { buildFixtureModelSet } from './model-fixture.ts';

let oldSet: Map<string, Uint8Array>;
let newSet: Map<string, Uint8Array>;
const dirs: string[] = [];

beforeAll(async () => {
  oldSet = await buildFixtureModelSet(1);
  newSet = await buildFixtureModelSet(2);
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-store-'));
  dirs.push(dir);
  return dir;
}

function versionOf(files: Map<string, Uint8Array>): string {
  return JSON.parse(new TextDecoder().decode(files.get(MODEL_FILE_NAMES.metadata))).version;
}

class SimulatedCrash extends Error {}

describe('model store', () => {
  test('stores and loads a model set', () => {
    const root = freshRoot();
    storeModelSet(root, oldSet, 'fixture-1');
    const loaded = loadStoredModelSet(root);

    expect(loaded).not.toBeNull();
    for (const [name, bytes] of oldSet) expect(loaded!.files.get(name)).toEqual(bytes);
  });

  test('empty data directory has no model set', () => {
    expect(loadStoredModelSet(freshRoot())).toBeNull();
  });

  const steps: [StoreStep, string][] = [
    ['files-written', 'fixture-1'],
    ['version-renamed', 'fixture-1'],
    ['pointer-written', 'fixture-1'],
    ['pointer-renamed', 'fixture-2'],
  ];

  test.each(steps)('crash after %s leaves a whole set', (crashStep, expectedVersion) => {
    const root = freshRoot();
    storeModelSet(root, oldSet, 'fixture-1');

    expect(() =>
      storeModelSet(root, newSet, 'fixture-2', (step) => {
        if (step === crashStep) throw new SimulatedCrash(step);
      }),
    ).toThrow(SimulatedCrash);

    removeStoreLeftovers(root);
    const loaded = loadStoredModelSet(root)!;
    const metadata = JSON.parse(new TextDecoder().decode(loaded.files.get(MODEL_FILE_NAMES.metadata)));
    expect(metadata.version).toBe(expectedVersion);
    const expected = expectedVersion === 'fixture-1' ? oldSet : newSet;
    for (const [name, bytes] of expected) expect(loaded.files.get(name)).toEqual(bytes);
    expect(versionOf(expected)).toBe(expectedVersion);
  });

  test('leftovers of a crash are removed', () => {
    const root = freshRoot();
    storeModelSet(root, oldSet, 'fixture-1');
    expect(() =>
      storeModelSet(root, newSet, 'fixture-2', (step) => {
        if (step === 'files-written') throw new SimulatedCrash(step);
      }),
    ).toThrow(SimulatedCrash);

    removeStoreLeftovers(root);
    const entries = readdirSync(join(root, 'versions'));
    expect(entries.some((e) => e.startsWith('.tmp-'))).toBe(false);
    expect(existsSync(join(root, 'current.tmp-'))).toBe(false);
  });

  test('keeps at most two versions', () => {
    const root = freshRoot();
    storeModelSet(root, oldSet, 'a');
    storeModelSet(root, newSet, 'b');
    storeModelSet(root, oldSet, 'c');
    expect(readdirSync(join(root, 'versions')).length).toBeLessThanOrEqual(2);
    expect(loadStoredModelSet(root)!.version.startsWith('c-')).toBe(true);
  });
});
