/**
 * @module Unwraps the 16-bit block timestamp of MLG logs. The timestamp
 * counts 10 µs ticks and wraps every 65,536 ticks (0.65536 s), so the
 * elapsed time between two blocks is only known modulo 0.65536 s.
 *
 * Rule: between consecutive blocks the shortest forward interval is taken,
 * which is right whenever blocks arrive more often than every 0.655 s (a
 * logger writes 10-100 per second). Where more time may have passed, the
 * log's own `Time` field decides how many whole wraps to add: the count that
 * brings the tick interval closest to the `Time` interval. A log without a
 * `Time` field keeps the shortest interval. The places where that is
 * ambiguous are counted in a warning: after a marker block (the logger
 * went offline) or a jump in the rolling counter (blocks were lost).
 */
import { readRaw } from './mlg-fields.ts';

const WRAP_TICKS = 65_536;
const SECONDS_PER_TICK = 1e-5;

/** Location and scaling of the log's own `Time` field inside a record. */
export interface TimeFieldSpec {
  readonly offset: number;
  readonly type: number;
  readonly scale: number;
  readonly transform: number;
  /** Seconds per unit of the field after scaling (0.001 for ms). */
  readonly secondsPerUnit: number;
}

/** Running state of the timestamp unwrapping over one file. */
export interface TickUnwrapper {
  readonly timeField: TimeFieldSpec | null;
  /** Reads the `Time` field of a record in seconds, or NaN without one. */
  timeFieldValue(view: DataView, valuesAt: number): number;
  /** Returns the unwrapped time in seconds of a data block. */
  dataTime(ticks: number, counter: number, fieldTimeS: number): number;
  /** Returns the unwrapped time in seconds of a marker block. */
  markerTime(ticks: number, counter: number): number;
  /** Advances over a block whose values are unusable. */
  skip(ticks: number, counter: number): void;
  /** Describes the wraps added and the ambiguous places, if any. */
  warnings(fileName: string): string[];
}

/** Creates the unwrapping state for one file. */
export function unwrapTicks(timeField: TimeFieldSpec | null): TickUnwrapper {
  let totalTicks = 0;
  let lastTicks = -1;
  let lastCounter = -1;
  let lastDataTicks = NaN;
  let lastDataFieldS = NaN;
  let isAmbiguous = false;
  let addedWraps = 0;
  let correctedPlaces = 0;
  let ambiguousPlaces = 0;

  const advance = (ticks: number, counter: number): void => {
    if (lastTicks >= 0) totalTicks += (ticks - lastTicks + WRAP_TICKS) % WRAP_TICKS;
    else totalTicks = ticks;
    if (lastCounter >= 0 && counter !== ((lastCounter + 1) & 0xff)) isAmbiguous = true;
    lastTicks = ticks;
    lastCounter = counter;
  };

  const wrapsFromTimeField = (fieldTimeS: number): number => {
    if (!Number.isFinite(fieldTimeS) || !Number.isFinite(lastDataFieldS)) return 0;
    const fieldDeltaS = fieldTimeS - lastDataFieldS;
    const tickDeltaS = (totalTicks - lastDataTicks) * SECONDS_PER_TICK;
    const wraps = Math.round((fieldDeltaS - tickDeltaS) / (WRAP_TICKS * SECONDS_PER_TICK));
    return Math.max(0, wraps);
  };

  return {
    timeField,
    timeFieldValue(view, valuesAt) {
      if (timeField === null) return NaN;
      const raw = readRaw(view, valuesAt + timeField.offset, timeField.type);
      return (raw + timeField.transform) * timeField.scale * timeField.secondsPerUnit;
    },
    dataTime(ticks, counter, fieldTimeS) {
      advance(ticks, counter);
      const wraps = wrapsFromTimeField(fieldTimeS);
      if (wraps > 0) {
        totalTicks += wraps * WRAP_TICKS;
        addedWraps += wraps;
        correctedPlaces++;
      } else if (isAmbiguous && timeField === null) {
        ambiguousPlaces++;
      }
      isAmbiguous = false;
      lastDataTicks = totalTicks;
      lastDataFieldS = fieldTimeS;
      return totalTicks * SECONDS_PER_TICK;
    },
    markerTime(ticks, counter) {
      advance(ticks, counter);
      isAmbiguous = true;
      return totalTicks * SECONDS_PER_TICK;
    },
    skip(ticks, counter) {
      advance(ticks, counter);
      isAmbiguous = true;
    },
    warnings(fileName) {
      const notes: string[] = [];
      if (correctedPlaces > 0) {
        notes.push(
          `${fileName}: added ${addedWraps} wraps of the 16-bit timestamp at ${correctedPlaces} ` +
            'places where the Time field shows a longer interval',
        );
      }
      if (ambiguousPlaces > 0) {
        notes.push(
          `${fileName}: ${ambiguousPlaces} intervals after a marker or lost blocks may be longer ` +
            'than the 16-bit timestamp shows; each was taken as the shortest (under 0.66 s)',
        );
      }
      return notes;
    },
  };
}
