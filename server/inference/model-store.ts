/**
 * @module Model sets on disk in the data directory, replaced atomically:
 * a new set is written to a temporary folder and flushed, the folder is
 * renamed into `versions/`, and then a one-line `current` pointer file is
 * replaced by rename. A power cut at any step leaves either the old or the
 * new set in force, never a mix.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILE_NAMES, type ModelFiles } from './model-files.ts';

/** Steps of a write, in order, for tests that simulate a crash after one of them. */
export type StoreStep = 'files-written' | 'version-renamed' | 'pointer-written' | 'pointer-renamed';

const POINTER = 'current';
const VERSIONS = 'versions';
const TEMP_PREFIX = '.tmp-';
/** Versions kept on disk: the current one and the one before it. */
const KEPT_VERSIONS = 2;

/** Writes `bytes` to `path` and flushes it to the device. */
function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory entry list, so renames inside it survive a power cut. */
function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes every file of a model set into `dir` (created if needed) and flushes them. */
export function writeModelFiles(dir: string, files: ModelFiles): void {
  mkdirSync(dir, { recursive: true });
  for (const name of Object.values(MODEL_FILE_NAMES)) {
    const bytes = files.get(name);
    if (bytes !== undefined) writeDurably(join(dir, name), bytes);
  }
  syncDirectory(dir);
}

/** Reads the model set files of `dir`; throws when a file is missing. */
export function readModelFiles(dir: string): Map<string, Uint8Array> {
  return new Map(Object.values(MODEL_FILE_NAMES).map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
}

/**
 * Stores `files` as a new version under `root` and points `current` at it.
 * `afterStep` runs after each step (tests throw from it to simulate a crash).
 * Returns the version folder name.
 */
export function storeModelSet(root: string, files: ModelFiles, version: string, afterStep?: (step: StoreStep) => void): string {
  const versions = join(root, VERSIONS);
  mkdirSync(versions, { recursive: true });
  const name = uniqueName(versions, sanitise(version));

  const temp = join(versions, `${TEMP_PREFIX}${name}`);
  rmSync(temp, { recursive: true, force: true });
  writeModelFiles(temp, files);
  afterStep?.('files-written');

  renameSync(temp, join(versions, name));
  syncDirectory(versions);
  afterStep?.('version-renamed');

  const pointerTemp = join(root, `${POINTER}${TEMP_PREFIX}`);
  writeDurably(pointerTemp, new TextEncoder().encode(`${name}\n`));
  afterStep?.('pointer-written');

  renameSync(pointerTemp, join(root, POINTER));
  syncDirectory(root);
  afterStep?.('pointer-renamed');

  pruneVersions(versions, name);
  return name;
}

/** Reads the model set `current` points at under `root`, or null when none is stored. */
export function loadStoredModelSet(root: string): { version: string; files: Map<string, Uint8Array> } | null {
  const pointer = join(root, POINTER);
  if (!existsSync(pointer)) return null;
  const name = readFileSync(pointer, 'utf8').trim();
  const dir = join(root, VERSIONS, name);
  if (name === '' || name.startsWith(TEMP_PREFIX) || !existsSync(dir)) return null;
  return { version: name, files: readModelFiles(dir) };
}

/** Removes temporary folders and pointer files that a crash left behind. */
export function removeStoreLeftovers(root: string): void {
  rmSync(join(root, `${POINTER}${TEMP_PREFIX}`), { force: true });
  const versions = join(root, VERSIONS);
  if (!existsSync(versions)) return;
  for (const entry of readdirSync(versions)) {
    if (entry.startsWith(TEMP_PREFIX)) rmSync(join(versions, entry), { recursive: true, force: true });
  }
}

function pruneVersions(versions: string, current: string): void {
  const entries = readdirSync(versions)
    .filter((e) => !e.startsWith(TEMP_PREFIX) && e !== current)
    .sort();
  for (const entry of entries.slice(0, Math.max(0, entries.length - (KEPT_VERSIONS - 1)))) {
    rmSync(join(versions, entry), { recursive: true, force: true });
  }
}

function sanitise(version: string): string {
  return version.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'model';
}

function uniqueName(versions: string, base: string): string {
  const stamp = `${base}-${Date.now().toString(36)}`;
  let name = stamp;
  for (let n = 1; existsSync(join(versions, name)); n++) name = `${stamp}-${n}`;
  return name;
}
