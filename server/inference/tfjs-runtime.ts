/**
 * @module One-time set-up of TensorFlow.js with its WASM backend, shared by
 * the predictor and the trainer: single-threaded, with the three backend
 * `.wasm` files at paths the caller gives (embedded files in the binary).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The runtime files of the tfjs WASM backend, relative to `node_modules`. */
export const TFJS_RUNTIME_FILES = [
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** Paths of the three backend files, by the file name tfjs asks for. */
export type TfjsWasmPaths = Readonly<Record<string, string>>;

let ready: Promise<void> | null = null;

/** Builds the path map that `setWasmPaths` expects from a `node_modules` folder. */
export function tfjsWasmPathsIn(nodeModulesDir: string): TfjsWasmPaths {
  return Object.fromEntries(
    TFJS_RUNTIME_FILES.map((file) => [file.slice(file.lastIndexOf('/') + 1), `${nodeModulesDir}/${file}`]),
  );
}

/**
 * Selects the WASM backend once per process; later calls wait for the first
 * and ignore their paths. Throws when the backend cannot start.
 */
export function initTfjsWasm(paths: TfjsWasmPaths): Promise<void> {
  ready ??= start(paths);
  return ready;
}

async function start(paths: TfjsWasmPaths): Promise<void> {
  // The compiled binary drops tfjs's platform module as dead code; a lazy
  // import registers it there (a static import crashes `bun run`).
  if (tf.env().platform === undefined || tf.env().platform === null) {
    await import('@tensorflow/tfjs-core/dist/platforms/platform_node');
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(paths as Record<string, string>);
  tf.enableProdMode();

  const isSelected = await tf.setBackend('wasm');
  if (!isSelected || tf.getBackend() !== 'wasm') {
    throw new Error('TensorFlow.js could not start its WASM backend; check that the three tfjs-backend-wasm files exist');
  }
}
