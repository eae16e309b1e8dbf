/**
 * @module OBD-II through ELM327 adapters (genuine and clones): the source
 * factory for `obd:PATH?options` values, and the source class the API
 * looks up for trouble codes and vehicle details.
 */
import type { Source, SourceFactory } from '../source.ts';
import { ObdSource } from './obd-source.ts';
import { parseObdSpec } from './source-options.ts';

export { ObdSource, ObdNotConnectedError, type VehicleInfo } from './obd-source.ts';
export { parseObdSpec, type ObdSourceOptions } from './source-options.ts';
export { maskVin } from './diagnostics.ts';
export { ElmLinkClosedError, ElmTimeoutError } from './elm-link.ts';

/** Builds an OBD-II source from `PATH[?baud=..&atz=..]`; throws `SourceConfigError` for a bad value. */
export const createObdSource: SourceFactory = (spec) => new ObdSource(`obd:${spec}`, parseObdSpec(spec));

/** Returns true for an OBD-II source, for `AppContext.findSources`. */
export function isObdSource(source: Source): source is ObdSource {
  return source instanceof ObdSource;
}
