/**
 * @module Loads the DSP core for tests, compiling it first when
 * `core-asm/build/dsp.wasm` is missing so that `bun test` works alone.
 */
import { existsSync } from 'node:fs';
import { buildCore, DSP_WASM_PATH } from '../../core-asm/build.ts';
import {
  type DspCore,
  type DspCoreOptions,
  loadDspCore,
} from '../../server/core/dsp.ts';

let wasmBytes: Promise<ArrayBuffer> | null = null;

/** Returns the compiled DSP core bytes, building them once if missing. */
export function dspWasmBytes(): Promise<ArrayBuffer> {
  wasmBytes ??= (async () => {
    const path = existsSync(DSP_WASM_PATH) ? DSP_WASM_PATH : await buildCore();
    return Bun.file(path).arrayBuffer();
  })();
  return wasmBytes;
}

/** Loads a fresh DSP core instance with the given options. */
export async function loadTestCore(options?: DspCoreOptions): Promise<DspCore> {
  return loadDspCore(await dspWasmBytes(), options);
}
