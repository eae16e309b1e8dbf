/**
 * @module Loads the engine profile named by `--profile`: a bundled profile
 * by id, or a JSON file by path. Validation happens in the domain's
 * `parseProfile`, and a bad profile stops start-up with the file, the field
 * and the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../cli/serve-options.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { parseProfile } from '../domain/profiles.ts';
import { BUNDLED_PROFILE_IDS, bundledProfile } from '../profiles/index.ts';

/** Returns the validated profile for a bundled id or a file path. */
export async function loadProfile(nameOrPath: string): Promise<EngineProfile> {
  const bundled = bundledProfile(nameOrPath);
  if (bundled) return bundled;

  if (!existsSync(nameOrPath)) {
    throw new UsageError(
      `--profile ${nameOrPath}: no such file and no bundled profile of that name; ` +
        `use ${BUNDLED_PROFILE_IDS.join(', ')} or a path to a profile JSON file`,
    );
  }
  return parseProfile(readFileSync(nameOrPath, 'utf8'), nameOrPath);
}
