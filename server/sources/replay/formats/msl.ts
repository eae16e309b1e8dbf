/**
 * @module Parser for MegaLogViewer ASCII logs (`.msl`, tab-delimited) and
 * the TunerStudio comma CSV of the same shape: optional header lines
 * (firmware, capture date), a row of channel names starting with `Time`, a
 * row of units, then data rows. `MARK` lines are markers. The `Time` column
 * is in seconds unless its unit is `ms`.
 */
import type { SourceUnit } from '../../../domain/units.ts';
import { LogFormatError } from '../errors.ts';
import type { LogColumn, LogMarker, LogTable, ParseOptions } from '../log-table.ts';
import {
  RowDamage,
  decodeText,
  guessDelimiter,
  isNumericRow,
  parseNumber,
  repairClock,
  splitCells,
  splitLines,
} from './text.ts';

/** Format id of MegaLogViewer ASCII and TunerStudio CSV logs. */
export const MSL_FORMAT_ID = 'msl';

/** Lines searched for the names row; header blocks are a few lines long. */
const HEADER_SEARCH_LINES = 30;

interface MslLayout {
  readonly delimiter: string;
  /** 0-based index of the names row. */
  readonly namesIndex: number;
  /** 0-based index of the units row. */
  readonly unitsIndex: number;
}

/** Returns true when the text starts like an MSL or TunerStudio CSV log. */
export function isMsl(head: Uint8Array): boolean {
  return findLayout(splitLines(decodeText(head))) !== null;
}

/** Parses an MSL or TunerStudio CSV log. */
export function parseMsl(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): LogTable {
  const lines = splitLines(decodeText(bytes));
  const layout = findLayout(lines);
  if (layout === null) {
    throw new LogFormatError(
      fileName,
      { line: 1 },
      `expected a row of channel names starting with "Time" within the first ${HEADER_SEARCH_LINES} lines`,
    );
  }

  const names = splitCells(lines[layout.namesIndex], layout.delimiter);
  const units = splitCells(lines[layout.unitsIndex], layout.delimiter);
  const headerLines = lines
    .slice(0, layout.namesIndex)
    .map((l) => l.replace(/"/g, '').trim())
    .filter(Boolean);
  const rows = readRows(lines, layout, names.length, fileName, options.strict === true);
  const timeScale = /^m(s|sec|illiseconds)$/i.test((units[0] ?? '').trim()) ? 0.001 : 1;
  const clock = repairClock(rows.times.map((t) => t * timeScale), fileName, false);

  const columns: LogColumn[] = names.slice(1).map((name, j) => ({
    name: name.trim(),
    unit: (units[j + 1] ?? '').trim(),
    values: rows.columns[j],
  }));

  return {
    format: MSL_FORMAT_ID,
    fileName,
    timesS: clock.timesS,
    columns,
    markers: rows.markers.map((m) => ({ timeS: m.timeS * timeScale, text: m.text })),
    warnings: [...rows.warnings, ...clock.warnings],
    meta: { header: headerLines.join('\n') },
    defaultTemperatureUnit: firmwareTemperatureUnit(headerLines),
  };
}

/**
 * Finds the names row (first cell `Time`, at least two cells) and the units
 * row after it: a non-numeric row followed by a numeric or empty one.
 */
function findLayout(lines: readonly string[]): MslLayout | null {
  const limit = Math.min(lines.length, HEADER_SEARCH_LINES);
  for (let i = 0; i < limit; i++) {
    const delimiter = guessDelimiter(lines[i]);
    const cells = splitCells(lines[i], delimiter);
    if (cells.length < 2 || cells[0].trim().toLowerCase() !== 'time') continue;

    // A names row followed directly by numbers is left to the generic CSV
    // parser, which reads units from brackets in the names.
    const next = splitCells(lines[i + 1] ?? '', delimiter);
    if (isNumericRow(next)) continue;
    const after = splitCells(lines[i + 2] ?? '', delimiter);
    if (isNumericRow(after) || after.join('').trim() === '') {
      return { delimiter, namesIndex: i, unitsIndex: i + 1 };
    }
  }
  return null;
}

interface MslRows {
  times: Float64Array;
  columns: Float64Array[];
  markers: LogMarker[];
  warnings: string[];
}

function readRows(
  lines: readonly string[],
  layout: MslLayout,
  cellCount: number,
  fileName: string,
  isStrict: boolean,
): MslRows {
  const first = layout.unitsIndex + 1;
  const capacity = lines.length - first;
  const times = new Float64Array(capacity);
  const columns = Array.from({ length: cellCount - 1 }, () => new Float64Array(capacity));
  const markers: LogMarker[] = [];
  const damage = new RowDamage(fileName, isStrict);
  let count = 0;

  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (/^"?MARK\b/i.test(line)) {
      markers.push(
        { timeS: count > 0 ? times[count - 1] : 0, text: line.replace(/"/g, '').trim() },
      );
      continue;
    }

    const cells = splitCells(line, layout.delimiter, cellCount);
    const time = parseNumber(cells[0]);
    if (cells.length < cellCount || Number.isNaN(time)) {
      damage.report(
        i + 1,
        `expected ${cellCount} cells starting with a time, found ${cells.length}`,
      );
      continue;
    }
    times[count] = time;
    for (let j = 1; j < cellCount; j++) columns[j - 1][count] = parseNumber(cells[j]);
    count++;
  }

  if (count === 0) {
    throw new LogFormatError(
      fileName,
      { line: first + 1 },
      'expected data rows after the header',
    );
  }
  return {
    times: times.slice(0, count),
    columns: columns.map((c) => c.slice(0, count)),
    markers,
    warnings: damage.warnings('damaged rows'),
  };
}

/**
 * Returns °F for MegaSquirt firmware, whose logs leave temperature units
 * empty and log in °F by default; other firmware (Speeduino, rusEFI) logs °C.
 */
function firmwareTemperatureUnit(headerLines: readonly string[]): SourceUnit | undefined {
  const header = headerLines.join(' ');
  const isMegaSquirt = /megasquirt|\bMS[123]\b|MS2Extra|MS3 Format|Bowling & Grippo|MSnS/i;
  return isMegaSquirt.test(header) ? '°F' : undefined;
}
