/**
 * @module Resolves the DBC and mapping a CAN source decodes with, from the
 * `--dbc` and `--can-map` flags or the `dbc=` and `map=` options of the
 * source value. `--dbc` takes a file or the name of a bundled DBC.
 */
import { existsSync } from 'node:fs';
import { SourceConfigError, type SourceOptions } from '../source.ts';
import { BUNDLED_DBCS, loadBundled } from './bundled.ts';
import { DbcDecoder, loadDbcFile } from './dbc/index.ts';
import type { DbcDatabase } from './dbc/types.ts';
import { CanError } from './errors.ts';
import { CanIngest } from './ingest.ts';
import { loadMappingFile, unusedMappingKeys, type SignalMapping } from './mapping.ts';

/** A DBC ready to decode with, and the mapping onto canonical channels. */
export interface CanSetup {
  readonly decoder: DbcDecoder;
  /** Null when signals are mapped through the alias table. */
  readonly mapping: SignalMapping | null;
  /** The bundled name or file path of the DBC. */
  readonly dbcLabel: string;
  /** Path of the `--can-map` file; undefined when the bundled mapping or aliases are used. */
  readonly mapLabel?: string;
  /** Usual bit rate of a bundled broadcast, in bit/s. */
  readonly bundledBitrate?: number;
  /** Problems that do not stop decoding, such as mapping keys matching no signal. */
  readonly warnings: readonly string[];
}

/** Splits `PATH?key=value&...` into the path and its options. */
export function splitSpec(spec: string): { path: string; query: URLSearchParams } {
  const at = spec.indexOf('?');
  if (at < 0) return { path: spec, query: new URLSearchParams() };
  return { path: spec.slice(0, at), query: new URLSearchParams(spec.slice(at + 1)) };
}

/** Returns a flag's string value, or undefined when absent or given without a value. */
function flagText(options: SourceOptions, name: string): string | undefined {
  const value = options.flags[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Loads the DBC and mapping for a CAN source. Throws `SourceConfigError`
 * naming the missing flag, the file, or the line and column of a DBC error.
 */
export function resolveCanSetup(query: URLSearchParams, options: SourceOptions): CanSetup {
  const dbcRef = query.get('dbc') ?? flagText(options, 'dbc');
  const mapRef = query.get('map') ?? flagText(options, 'can-map');
  if (dbcRef === undefined) {
    throw new SourceConfigError(
      `A CAN source needs a DBC: pass --dbc FILE or --dbc NAME with a bundled name (${Object.keys(BUNDLED_DBCS).join(', ')}).`,
    );
  }
  try {
    return loadSetup(dbcRef, mapRef);
  } catch (error) {
    if (error instanceof CanError) throw new SourceConfigError(error.message);
    throw error;
  }
}

function loadSetup(dbcRef: string, mapRef: string | undefined): CanSetup {
  const bundled = BUNDLED_DBCS[dbcRef];
  let database: DbcDatabase;
  let mapping: SignalMapping | null = null;
  if (bundled !== undefined) {
    ({ database, mapping } = loadBundled(bundled));
  } else {
    if (!existsSync(dbcRef)) {
      throw new SourceConfigError(
        `DBC file ${dbcRef} not found; give a path or a bundled name (${Object.keys(BUNDLED_DBCS).join(', ')}).`,
      );
    }
    database = loadDbcFile(dbcRef);
  }
  if (mapRef !== undefined) {
    if (!existsSync(mapRef)) throw new SourceConfigError(`Mapping file ${mapRef} not found.`);
    mapping = loadMappingFile(mapRef);
  }

  const unused = mapping === null ? [] : unusedMappingKeys(mapping, database);
  const warnings = [...database.warnings];
  if (unused.length > 0) warnings.push(`mapping entries match no DBC signal: ${unused.join(', ')}`);
  return {
    decoder: new DbcDecoder(database),
    mapping,
    dbcLabel: dbcRef,
    mapLabel: mapRef,
    bundledBitrate: bundled?.bitrate,
    warnings,
  };
}

/** A CAN ingest and what a person should be told about its setup. */
export interface CanIngestSetup {
  readonly ingest: CanIngest;
  /** The setup's warnings, plus why no channel is fed when none is. */
  readonly warnings: readonly string[];
}

/** Builds the ingest of a CAN source and adds a warning when no signal feeds a channel. */
export function createIngest(setup: CanSetup): CanIngestSetup {
  const ingest = new CanIngest(setup.decoder, setup.mapping);
  if (ingest.mappedChannels().length > 0) return { ingest, warnings: setup.warnings };

  const reason =
    setup.mapping === null
      ? `no signal name of ${setup.dbcLabel} is in the alias table; pass --can-map FILE naming MESSAGE.SIGNAL keys`
      : `no entry of the mapping ${setup.mapLabel ?? `bundled with ${setup.dbcLabel}`} names a signal of ${setup.dbcLabel} with a known channel and unit`;
  return { ingest, warnings: [...setup.warnings, `no channel is fed: ${reason}`] };
}
