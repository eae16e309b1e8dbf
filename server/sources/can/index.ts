/**
 * @module Entry points of the CAN layer for the source registry, the
 * replay format table and the `decode` command.
 */
export { createSlcanSource } from './slcan/source.ts';
export { createSocketCanSource } from './socketcan/source.ts';
export { createCaptureReplaySource } from './capture-replay.ts';
export { detectCaptureFormat, openCaptureFile, type CaptureFormat } from './capture/index.ts';
export { BUNDLED_DBCS } from './bundled.ts';
