/**
 * @module Maps the scheme of a `--source` value (`sim`, `replay:FILE`,
 * `obd:/dev/pts/3`, `slcan:/dev/ttyACM0`, `socketcan:can0`) to the factory
 * that builds that source. Each entry imports its source lazily, so a
 * command that never opens a CAN bus never loads the CAN code.
 */
import type { SourceFactory } from './source.ts';

export const SOURCE_SCHEMES: Readonly<
  Record<string, () => Promise<SourceFactory>>
> = {
  sim: async () => (await import('./sim/index.ts')).createSimSource,
  replay: async () => (await import('./replay/index.ts')).createReplaySource,
  obd: async () => (await import('./obd/index.ts')).createObdSource,
  slcan: async () => (await import('./can/index.ts')).createSlcanSource,
  socketcan: async () => (await import('./can/index.ts')).createSocketCanSource,
};
