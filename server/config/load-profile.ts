/**
 * @module Loads the engine profile named by `--profile`: a bundled profile
 * by id, or a JSON file by path. Validation happens in the domain's
 * `parseProfile`; a bad profile stops start-up with the file, the field and
 * the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import bigSingle from '../profiles/big-single.json';
import stockTwin from '../profiles/stock-twin.json';
import type { EngineProfile } from '../domain/profile-types.ts';
import { parseProfile } from '../domain/profiles.ts';
import { UsageError } from '../cli/serve-options.ts';

/** Profiles embedded in the executable, by id. */
export const BUNDLED_PROFILES: Readonly<Record<string, unknown>> = {
  'stock-twin': stockTwin,
  'big-single': bigSingle,
};

/** Returns the validated profile for a bundled id or a file path. */
export async function loadProfile(nameOrPath: string): Promise<EngineProfile> {
  const bundled = BUNDLED_PROFILES[nameOrPath];
  if (bundled) return parseProfile(JSON.stringify(bundled), `bundled profile ${nameOrPath}`);

  if (!existsSync(nameOrPath)) {
    throw new UsageError(
      `--profile ${nameOrPath}: no such file and no bundled profile of that name; ` +
        `use ${Object.keys(BUNDLED_PROFILES).join(', ')} or a path to a profile JSON file`,
    );
  }
  return parseProfile(readFileSync(nameOrPath, 'utf8'), nameOrPath);
}
