/**
 * @module Paths of the files the executable embeds: the DSP core, the
 * dashboard, the WebAssembly runtimes of the model backends and the shipped
 * models. `build.ts` generates the manifest behind this module; inside the
 * compiled binary each path points into its embedded file system.
 */
export { CORE_WASM, MODEL_FILES, RUNTIME_FILES, UI_FILES } from './generated/assets.ts';
