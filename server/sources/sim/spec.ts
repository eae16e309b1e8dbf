/**
 * @module Parses the options of a `sim` source value.
 *
 * Grammar (everything after `sim:` is an optional query string):
 *
 *     sim[:?KEY=VALUE(&KEY=VALUE)*]
 *     seed=INTEGER          random seed, 0 or more (default 1)
 *     scenario=ID           idle | cruise | pulls | heat-soak | street | track (default street)
 *     profile=ID            bundled engine profile, stock-twin | big-single
 *     fault=KIND@ONSET[:SEVERITY]
 *                           inject KIND at ONSET seconds of simulated time with
 *                           SEVERITY 0-1 (default 1); repeat the key for more faults
 *     durationS=SECONDS     end the drive after this many seconds (default: endless)
 *
 * Example: `sim:?seed=7&scenario=street&profile=stock-twin&fault=boost-leak@120:0.6`.
 */
import { FAULT_KINDS, isFaultKind, SCENARIO_IDS, type FaultSpec } from '../../engine/index.ts';
import { BUNDLED_PROFILE_IDS } from '../../profiles/index.ts';
import { SourceConfigError } from '../source.ts';

/** Options of a simulated source, after validation. */
export interface SimSpec {
  readonly seed: number;
  readonly scenarioId: string;
  /** Profile id named in the value, or null to use the selected profile. */
  readonly profileId: string | null;
  readonly faults: readonly FaultSpec[];
  /** Seconds of simulated drive, or null for an endless drive. */
  readonly durationS: number | null;
}

const KNOWN_KEYS = ['seed', 'scenario', 'profile', 'fault', 'durationS'];

/**
 * Parses the part of a `--source` value after `sim:`, such as
 * `?seed=7&fault=boost-leak@120:0.6`. Throws a `SourceConfigError` that
 * names the invalid value and the fix.
 */
export function parseSimSpec(spec: string): SimSpec {
  const query = spec.startsWith('?') ? spec.slice(1) : spec;
  if (query !== '' && !query.includes('=')) {
    throw new SourceConfigError(
      `Invalid sim source value "sim:${spec}": ` +
        'write options as a query, such as sim:?seed=7&scenario=street.',
    );
  }
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new SourceConfigError(
        `Unknown sim source option "${key}": use ${KNOWN_KEYS.join(', ')}.`,
      );
    }
  }
  return {
    seed: parseSeed(params.get('seed')),
    scenarioId: parseScenario(params.get('scenario')),
    profileId: parseProfileId(params.get('profile')),
    faults: params.getAll('fault').map((text) => parseFault(text)),
    durationS: parseDuration(params.get('durationS')),
  };
}

function parseSeed(text: string | null): number {
  if (text === null) return 1;
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed)) {
    throw new SourceConfigError(`Invalid sim seed "${text}": use a whole number, 0 or more.`);
  }
  return seed;
}

function parseScenario(text: string | null): string {
  if (text === null) return 'street';
  if (!SCENARIO_IDS.includes(text)) {
    throw new SourceConfigError(
      `Unknown sim scenario "${text}": use one of ${SCENARIO_IDS.join(', ')}.`,
    );
  }
  return text;
}

function parseProfileId(text: string | null): string | null {
  if (text === null) return null;
  if (!BUNDLED_PROFILE_IDS.includes(text)) {
    throw new SourceConfigError(
      `Unknown engine profile "${text}": use one of ${BUNDLED_PROFILE_IDS.join(', ')}.`,
    );
  }
  return text;
}

function parseDuration(text: string | null): number | null {
  if (text === null) return null;
  const durationS = Number(text);
  if (text.trim() === '' || !Number.isFinite(durationS) || durationS <= 0) {
    throw new SourceConfigError(
      `Invalid sim durationS "${text}": use a positive number of seconds, ` +
        'or leave it out for an endless drive.',
    );
  }
  return durationS;
}

/**
 * Parses `KIND@ONSET[:SEVERITY]`, such as `boost-leak@120:0.6`, for the
 * `fault=` option of the source named `sourceName` (`sim` or `replay`).
 */
export function parseFault(text: string, sourceName = 'sim'): FaultSpec {
  const match = /^([a-z-]+)@([0-9.]+)(?::([0-9.]+))?$/.exec(text);
  if (match === null) {
    throw new SourceConfigError(
      `Invalid ${sourceName} fault "${text}": write KIND@ONSET_S[:SEVERITY], such as boost-leak@120:0.6.`,
    );
  }
  const [, kind, onsetText, severityText] = match;
  if (!isFaultKind(kind)) {
    throw new SourceConfigError(
      `Unknown ${sourceName} fault kind "${kind}": use one of ${FAULT_KINDS.join(', ')}.`,
    );
  }
  const onsetS = Number(onsetText);
  if (!Number.isFinite(onsetS)) {
    throw new SourceConfigError(
      `Invalid onset "${onsetText}" in ${sourceName} fault "${text}": use seconds, 0 or more.`,
    );
  }
  const severity = severityText === undefined ? 1 : Number(severityText);
  if (!Number.isFinite(severity) || severity > 1) {
    throw new SourceConfigError(
      `Invalid severity "${severityText}" in ${sourceName} fault "${text}": use a number from 0 to 1.`,
    );
  }
  return { kind, onsetS, severity };
}
