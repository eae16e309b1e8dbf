/**
 * @module Loads the DSP core for tests, compiling it first when
 * `core-asm/build/dsp.wasm` is missing or older than its source, so that
 * `bun test` works alone and never tests a stale build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCore, DSP_WASM_PATH } from '../../core-asm/build.ts';
import { REPO_DIR } from '../support/shared-data.ts';
import {
  type DspCore,
  type DspCoreOptions,
  loadDspCore,
} from '../../server/core/dsp.ts';

let wasmBytes: Promise<ArrayBuffer> | null = null;

/** Returns the compiled DSP core bytes, building them once if missing. */
export function dspWasmBytes(): Promise<ArrayBuffer> {
  wasmBytes ??= (async () => {
    const path = isBuildCurrent() ? DSP_WASM_PATH : await buildCore();
    return Bun.file(path).arrayBuffer();
  })();
  return wasmBytes;
}

function isBuildCurrent(): boolean {
  if (!existsSync(DSP_WASM_PATH)) return false;
  const sourceDir = join(REPO_DIR, 'core-asm', 'assembly');
  const builtMs = statSync(DSP_WASM_PATH).mtimeMs;
  return readdirSync(sourceDir).every(
    (name) => statSync(join(sourceDir, name)).mtimeMs <= builtMs,
  );
}

/** Loads a fresh DSP core instance with the given options. */
export async function loadTestCore(options?: DspCoreOptions): Promise<DspCore> {
  return loadDspCore(await dspWasmBytes(), options);
}
