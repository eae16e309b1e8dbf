/**
 * @module Compiles and initialises the DSP core's WebAssembly module and
 * types its exports. The module imports nothing from the host.
 */

/** Exports of `core-asm/assembly/index.ts`, typed for the host. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  init(channels: number, capacity: number, staging: number): number;
  reset(): void;
  setStaleAfter(channel: number, seconds: number): number;
  setEwmaTimeConstant(channel: number, seconds: number): number;
  stagingCapacity(): number;
  stagingChannelsPtr(): number;
  stagingTimesPtr(): number;
  stagingValuesPtr(): number;
  resampledValuesPtr(): number;
  resampledAgesPtr(): number;
  resampledStatesPtr(): number;
  statsPtr(): number;
  droppedOutOfOrderCount(): number;
  rejectedInvalidCount(): number;
  storedCount(channel: number): number;
  windowCount(): number;
  windowSpanS(): number;
  pushBatch(count: number): number;
  push(channel: number, timeS: number, value: number): number;
  ewma(channel: number): number;
  resample(timeS: number): void;
  slope(channel: number, windowS: number, timeS: number): number;
  windowStats(channel: number, windowS: number, timeS: number): number;
}

const REQUIRED_FUNCTIONS = [
  'init',
  'reset',
  'setStaleAfter',
  'setEwmaTimeConstant',
  'stagingCapacity',
  'stagingChannelsPtr',
  'stagingTimesPtr',
  'stagingValuesPtr',
  'resampledValuesPtr',
  'resampledAgesPtr',
  'resampledStatesPtr',
  'statsPtr',
  'droppedOutOfOrderCount',
  'rejectedInvalidCount',
  'storedCount',
  'windowCount',
  'windowSpanS',
  'pushBatch',
  'push',
  'ewma',
  'resample',
  'slope',
  'windowStats',
] as const;

// Codes returned by the core's `init`.
const INIT_OK = 0;
const INIT_INVALID_SIZE = -1;

/** Largest channels x capacity product the core accepts. */
export const MAX_STORED_SAMPLES = 2 ** 26;

/** Largest staging area, in samples, that the core accepts. */
export const MAX_STAGING_CAPACITY = 2 ** 20;

/**
 * Compiles the DSP core, checks its exports and initialises its buffers.
 * Throws a RangeError for invalid sizes and an Error for a module that is
 * not the DSP core.
 */
export async function instantiateCore(
  wasm: ArrayBuffer | Uint8Array,
  channels: number,
  capacity: number,
  staging: number,
): Promise<CoreExports> {
  checkSize('capacity', capacity, Math.floor(MAX_STORED_SAMPLES / channels));
  checkSize('stagingCapacity', staging, MAX_STAGING_CAPACITY);

  const module = await compileCore(wasm);
  const instance = await WebAssembly.instantiate(module, {});
  const core = checkExports(instance.exports);

  const code = core.init(channels, capacity, staging);
  if (code === INIT_INVALID_SIZE) {
    throw new RangeError(
      `The DSP core rejected ${channels} channels x ${capacity} samples ` +
        `with a ${staging}-sample staging area.`,
    );
  }
  if (code !== INIT_OK) {
    throw new Error(
      `The DSP core init failed with code ${code}; ` +
        'rebuild it with `bun core-asm/build.ts`.',
    );
  }
  return core;
}

async function compileCore(
  wasm: ArrayBuffer | Uint8Array,
): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(wasm);
  } catch (error) {
    throw new Error(
      `The DSP core is not a valid WebAssembly module ` +
        `(${wasm.byteLength} bytes): ${(error as Error).message}. ` +
        'Rebuild it with `bun core-asm/build.ts`.',
      { cause: error },
    );
  }
}

function checkSize(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(
      `Invalid ${name}: ${value}; use an integer from 1 to ${max}.`,
    );
  }
}

function checkExports(exports: WebAssembly.Exports): CoreExports {
  const missing = REQUIRED_FUNCTIONS.filter(
    (name) => typeof exports[name] !== 'function',
  );
  if (missing.length > 0 || !(exports.memory instanceof WebAssembly.Memory)) {
    const names = missing.length > 0 ? missing.join(', ') : 'memory';
    throw new Error(
      `The WebAssembly module is not the DSP core: it lacks ${names}. ` +
        'Rebuild it with `bun core-asm/build.ts`.',
    );
  }
  return exports as unknown as CoreExports;
}
