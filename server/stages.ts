/**
 * @module Starts the inference service (both model backends, warmed up)
 * for a monitor. A service that cannot start is logged and left out, so the
 * stream keeps running without health.
 */
import { MODEL_FILES, RUNTIME_FILES } from './assets.ts';
import type { EngineProfile } from './domain/profile-types.ts';
import { loadRuntimeFiles } from './inference/runtime-files.ts';
import { InferenceService } from './inference/service.ts';
import { getLogger } from './log/logger.ts';

const log = getLogger('stages');

/** Reads the model set embedded in the executable (or built into `models/`). */
async function embeddedModelFiles(): Promise<Map<string, Uint8Array>> {
  const entries = await Promise.all(
    Object.entries(MODEL_FILES).map(
      async ([name, path]) => [name, new Uint8Array(await Bun.file(path).arrayBuffer())] as const,
    ),
  );
  return new Map(entries);
}

/**
 * Starts inference with the profile and data folder; returns undefined,
 * after logging why, when the backends or models cannot be loaded.
 */
export async function startInference(
  profile: EngineProfile,
  dataDir: string,
): Promise<InferenceService | undefined> {
  try {
    const service = await InferenceService.start({
      profile,
      dataDir,
      runtime: await loadRuntimeFiles(RUNTIME_FILES),
      embeddedModels: await embeddedModelFiles(),
    });
    for (const error of service.startErrors) log.warn('model set rejected at start-up', { error });
    log.info('inference started', service.summary());
    return service;
  } catch (error) {
    log.error('inference failed to start; the stream runs without health', { error });
    return undefined;
  }
}
