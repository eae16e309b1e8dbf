/**
 * @module Loads the model set committed under `models/` and starts an
 * inference service on it with the runtime files from `node_modules`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readModelFiles } from '../../server/inference/model-store.ts';
import { runtimeFilesFromNodeModules } from '../../server/inference/runtime-files.ts';
import { InferenceService } from '../../server/inference/service.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { REPO_DIR } from '../support/shared-data.ts';

/** Reads the shipped model set. */
export function shippedModelFiles(): Map<string, Uint8Array> {
  return readModelFiles(resolve(REPO_DIR, 'models'));
}

/** Starts a service on the shipped models with a fresh data directory. */
export async function startShippedService(dataDir = mkdtempSync(join(tmpdir(), 'inference-'))): Promise<{ service: InferenceService; dataDir: string }> {
  const service = await InferenceService.start({
    profile: bundledProfile('stock-twin')!,
    dataDir,
    runtime: await runtimeFilesFromNodeModules([REPO_DIR]),
    embeddedModels: shippedModelFiles(),
  });
  return { service, dataDir };
}
