/**
 * @module The shape every log parser returns: one shared time axis and one
 * column of values per logged channel, still in the log's own names and
 * units. `recording.ts` maps it onto canonical channels.
 */
import type { SourceUnit } from '../../domain/units.ts';

/** One logged channel as the file stores it. */
export interface LogColumn {
  readonly name: string;
  /** Unit as written in the log (or set by the format), '' when none. */
  readonly unit: string;
  /** One value per record of the table; NaN where the record has no value. */
  readonly values: Float64Array;
  /** Set when the format marks the column as carrying no measurement. */
  readonly excludedReason?: string;
}

/** A note the logger wrote into the log, such as `Going Offline`. */
export interface LogMarker {
  readonly timeS: number;
  readonly text: string;
}

/** The parsed content of one log file. */
export interface LogTable {
  /** Format id from the dispatch table, such as `mlg` or `haltech-nsp`. */
  readonly format: string;
  readonly fileName: string;
  /** Record times in seconds, ascending, on the log's own time base. */
  readonly timesS: Float64Array;
  readonly columns: readonly LogColumn[];
  readonly markers: readonly LogMarker[];
  /** Damage that was skipped or repaired, each naming its position. */
  readonly warnings: readonly string[];
  /** Header facts such as firmware, capture date or log number. */
  readonly meta: Readonly<Record<string, string>>;
  /**
   * Temperature unit the logging firmware uses when a column has no unit,
   * such as °F for MegaSquirt; °C is assumed when absent.
   */
  readonly defaultTemperatureUnit?: SourceUnit;
}

/** Options that every parser accepts. */
export interface ParseOptions {
  /**
   * When true, any damage throws a `LogFormatError`. When false (the
   * default), damage after the header ends the data or skips the damaged
   * row, and a warning names the position. A file in which no record
   * survives always throws.
   */
  readonly strict?: boolean;
}
