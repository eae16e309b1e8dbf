/**
 * @module The WebAssembly runtime files both backends need, relative to
 * `node_modules`, so the build can embed them, and a loader for the case
 * where they are read from a `node_modules` folder on disk.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RuntimeFiles } from './model-pair.ts';
import { ONNX_RUNTIME_FILE } from './onnx-predictor.ts';
import { TFJS_RUNTIME_FILES } from './tfjs-runtime.ts';

/** Lists every runtime file of both backends, relative to `node_modules`. */
export function inferenceRuntimeFiles(): string[] {
  return [ONNX_RUNTIME_FILE, ...TFJS_RUNTIME_FILES];
}

/**
 * Builds the runtime from a map of the files in `inferenceRuntimeFiles()`
 * to their paths (embedded `/$bunfs/...` paths in the binary).
 */
export async function loadRuntimeFiles(paths: Readonly<Record<string, string>>): Promise<RuntimeFiles> {
  const onnxPath = paths[ONNX_RUNTIME_FILE];
  const tfjsPaths = TFJS_RUNTIME_FILES.map((file) => [file.slice(file.lastIndexOf('/') + 1), paths[file]] as const);
  return {
    onnxWasm: onnxPath ? new Uint8Array(await Bun.file(onnxPath).arrayBuffer()) : null,
    tfjsWasmPaths: tfjsPaths.every(([, path]) => path) ? Object.fromEntries(tfjsPaths) : null,
  };
}

/** Finds the runtime files under the first `node_modules` folder that has them; throws when none does. */
export async function runtimeFilesFromNodeModules(searchFrom: readonly string[]): Promise<RuntimeFiles> {
  for (const dir of searchFrom) {
    const nodeModules = resolve(dir, 'node_modules');
    const paths = Object.fromEntries(inferenceRuntimeFiles().map((file) => [file, resolve(nodeModules, file)]));
    if (Object.values(paths).every(existsSync)) return loadRuntimeFiles(paths);
  }
  throw new Error(`The model runtime files (${inferenceRuntimeFiles().join(', ')}) were not found under node_modules in ${searchFrom.join(', ')}`);
}
