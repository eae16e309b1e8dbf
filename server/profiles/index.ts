/**
 * @module The engine profiles bundled with the monitor. The JSON files are
 * imported, so Bun embeds them in the compiled binary, and each is
 * validated once, the first time it is requested.
 */
import { validateProfile } from '../domain/profiles.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import bigSingle from './big-single.json';
import stockTwin from './stock-twin.json';

const BUNDLED: Readonly<Record<string, { file: string; json: unknown }>> = {
  'stock-twin': { file: 'stock-twin.json', json: stockTwin },
  'big-single': { file: 'big-single.json', json: bigSingle },
};

/** Ids of the bundled profiles; `stock-twin` is the default. */
export const BUNDLED_PROFILE_IDS: readonly string[] = Object.keys(BUNDLED);

/** Id of the profile used when none is selected. */
export const DEFAULT_PROFILE_ID = 'stock-twin';

const cache = new Map<string, EngineProfile>();

/**
 * Returns the validated bundled profile with this id, or null when no
 * bundled profile has it. Throws a `ProfileError` if the bundled file is bad.
 */
export function bundledProfile(id: string): EngineProfile | null {
  const entry = BUNDLED[id];
  if (entry === undefined) return null;

  let profile = cache.get(id);
  if (profile === undefined) {
    profile = validateProfile(entry.json, entry.file);
    cache.set(id, profile);
  }
  return profile;
}
