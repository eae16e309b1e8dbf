/**
 * @module Locates the real logs, captures and benchmark files that live
 * beside the repository in `../shared/data`, and lets tests skip with a
 * printed reason when that folder is absent (a fresh clone on its own).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dir, '../..');

/** Absolute path of the shared data folder, whether or not it exists. */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, '../shared/data');

/** Absolute path of the repository root. */
export const REPO_DIR = REPO_ROOT;

/**
 * Returns the absolute path of a shared data file, or null after printing
 * why the calling test is skipped when the file is absent.
 */
export function sharedDataFile(relativePath: string): string | null {
  const path = join(SHARED_DATA_DIR, relativePath);
  if (existsSync(path)) return path;
  console.warn(`skipped: shared data file ${path} is absent`);
  return null;
}

/** True when the shared data file exists; use with `test.skipIf`. */
export function hasSharedData(relativePath: string): boolean {
  return existsSync(join(SHARED_DATA_DIR, relativePath));
}
