/**
 * @module Compiles the AssemblyScript DSP core to `core-asm/build/dsp.wasm`
 * with the AssemblyScript compiler's JavaScript API. Run it alone with
 * `bun core-asm/build.ts`; the product build calls `buildCore`.
 */
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const CORE_DIR = import.meta.dir;

/** Absolute path of the compiled DSP core. */
export const DSP_WASM_PATH = join(CORE_DIR, 'build', 'dsp.wasm');

// The stub runtime never collects garbage, which suits a module that
// allocates all of its buffers once in `init`. `--use abort=` removes the
// host import that a failed allocation would call, so the module
// instantiates with an empty import object; `init` bounds every size first.
// The window passes use 128-bit SIMD, which every current JavaScript engine
// runs (Chrome 91, Firefox 89, Safari 16.4, Bun's JavaScriptCore).
const COMPILER_FLAGS = [
  '--runtime',
  'stub',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--noAssert',
  '--use',
  'abort=',
  '--enable',
  'simd',
];

/** Compiles the DSP core (optimised) and returns the path of the `.wasm`. */
export async function buildCore(): Promise<string> {
  mkdirSync(join(CORE_DIR, 'build'), { recursive: true });
  const entry = relative(process.cwd(), join(CORE_DIR, 'assembly', 'index.ts'));
  const outFile = relative(process.cwd(), DSP_WASM_PATH);
  const stderr = asc.createMemoryStream();

  const { error } = await asc.main(
    [entry, '--outFile', outFile, ...COMPILER_FLAGS],
    { stderr },
  );
  if (error) {
    throw new Error(
      `Compiling the DSP core ${entry} failed: ${error.message}\n` +
        stderr.toString(),
    );
  }
  return DSP_WASM_PATH;
}

if (import.meta.main) {
  const path = await buildCore();
  console.log(`DSP core written to ${path}`);
}
