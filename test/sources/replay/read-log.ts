/**
 * @module Reads log files for the replay tests: fixtures from the
 * repository and real logs from the shared data folder.
 */
import { join } from 'node:path';
import { REPO_DIR, sharedDataFile } from '../../support/shared-data.ts';

/** Absolute path of a fixture under test/fixtures/logs. */
export function fixturePath(name: string): string {
  return join(REPO_DIR, 'test/fixtures/logs', name);
}

/** Reads a fixture under test/fixtures/logs. */
export async function readFixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await Bun.file(fixturePath(name)).arrayBuffer());
}

/** Reads a shared data file; call only after checking `hasSharedData`. */
export async function readShared(relativePath: string): Promise<Uint8Array> {
  const path = sharedDataFile(relativePath);
  if (path === null) throw new Error(`shared data file ${relativePath} is absent`);
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}

/** Returns the values of a named column, or throws when it is missing. */
export function columnValues(
  table: { columns: readonly { name: string; values: Float64Array }[] },
  name: string,
): Float64Array {
  const found = table.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`column ${name} is missing`);
  return found.values;
}

/** Runs an action that must throw and returns its error. */
export function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
