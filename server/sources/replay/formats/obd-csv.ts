/**
 * @module Parser for OBD-II logger CSVs: one header row of PID names, often
 * with the unit in brackets (`Engine RPM(rpm)`, `ENGINE_RPM ()`), then one
 * row per poll cycle. The clock is an explicit time column (seconds,
 * `ms`, a time of day or a date) or, failing that, the engine run time PID.
 *
 * Logger quirks it handles: every row may end with a trailing comma.
 * Truncated rows are skipped with a warning. A row that repeats the
 * previous row exactly is the logger writing one poll twice, so it is
 * dropped and counted in a warning. A clock in whole seconds, where several
 * rows share one timestamp, is spread by `spreadWholeSeconds`.
 */
import { findAlias, normaliseChannelName, splitNameAndUnit } from '../../../domain/aliases.ts';
import { LogFormatError } from '../errors.ts';
import type { LogColumn, LogTable, ParseOptions } from '../log-table.ts';
import { DEFAULT_GAP_THRESHOLD_S } from '../recording.ts';
import {
  RowDamage,
  decodeText,
  guessDelimiter,
  parseNumber,
  parseTimeOfDay,
  repairClock,
  splitCells,
  splitLines,
  typicalPeriodS,
} from './text.ts';

/** Format id of OBD-II logger CSVs. */
export const OBD_CSV_FORMAT_ID = 'obd-csv';

const TIME_COLUMN_KEYS = new Set(
  ['Time', 'Timestamp', 'Seconds', 'Elapsed Time', 'Elapsed', 'Device Time', 'GPS Time', 'Time (s)']
    .map(normaliseChannelName),
);

// Numbers above this are epoch milliseconds, not seconds since the start.
const EPOCH_MS_THRESHOLD = 1e11;

interface Header {
  readonly delimiter: string;
  readonly names: readonly { name: string; unit: string }[];
  readonly timeIndex: number;
  /** True when the time column is also a channel (engine run time). */
  readonly isTimeAChannel: boolean;
}

type TimeParser = (cell: string) => number;

/** Returns true when the text starts with a CSV header that has a clock column. */
export function isObdCsv(head: Uint8Array): boolean {
  const lines = splitLines(decodeText(head)).filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  const header = readHeader(lines[0]);
  if (header === null) return false;
  const firstRow = splitCells(lines[1], header.delimiter, header.names.length);
  return chooseTimeParser(firstRow[header.timeIndex] ?? '', header) !== null;
}

/** Parses an OBD-II logger CSV. */
export function parseObdCsv(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): LogTable {
  const lines = splitLines(decodeText(bytes));
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const header = headerIndex >= 0 ? readHeader(lines[headerIndex]) : null;
  if (header === null) {
    throw new LogFormatError(
      fileName,
      { line: headerIndex + 1 },
      'expected a header row with a time column (Time, Timestamp or Engine Run Time)',
    );
  }

  const rows = readRows(lines, headerIndex + 1, header, fileName, options.strict === true);
  const clock = repairClock(rows.times, fileName, rows.isTimeOfDay);
  const spread = spreadWholeSeconds(clock.timesS, fileName);
  const columns: LogColumn[] = [];
  header.names.forEach((column, j) => {
    if (j === header.timeIndex && !header.isTimeAChannel) return;
    columns.push({ name: column.name, unit: column.unit, values: rows.columns[j] });
  });

  return {
    format: OBD_CSV_FORMAT_ID,
    fileName,
    timesS: spread.timesS,
    columns,
    markers: [],
    warnings: [...rows.warnings, ...clock.warnings, ...spread.warnings],
    meta: { timeColumn: header.names[header.timeIndex].name },
  };
}

function readHeader(line: string): Header | null {
  const delimiter = guessDelimiter(line);
  const names = splitCells(line, delimiter).map(splitNameAndUnit);
  if (names.length < 2) return null;

  const explicit = names.findIndex((n) => TIME_COLUMN_KEYS.has(normaliseChannelName(n.name)));
  if (explicit >= 0) return { delimiter, names, timeIndex: explicit, isTimeAChannel: false };

  const runTime = names.findIndex((n) => findAlias(n.name)?.channel === 'runTimeS');
  if (runTime >= 0) return { delimiter, names, timeIndex: runTime, isTimeAChannel: true };
  return null;
}

/** Picks how to read the time cells from the first data row, or null. */
function chooseTimeParser(cell: string, header: Header): TimeParser | null {
  const number = parseNumber(cell);
  if (!Number.isNaN(number)) {
    const unit = header.names[header.timeIndex].unit.toLowerCase();
    if (unit === 'ms' || number > EPOCH_MS_THRESHOLD) return (c) => parseNumber(c) / 1000;
    return parseNumber;
  }
  if (!Number.isNaN(parseTimeOfDay(cell))) return parseTimeOfDay;
  if (!Number.isNaN(Date.parse(cell))) return (c) => Date.parse(c) / 1000;
  return null;
}

function readRows(
  lines: readonly string[],
  start: number,
  header: Header,
  fileName: string,
  isStrict: boolean,
) {
  const cellCount = header.names.length;
  const capacity = lines.length - start;
  const times = new Float64Array(capacity);
  const columns = Array.from({ length: cellCount }, () => new Float64Array(capacity));
  const damage = new RowDamage(fileName, isStrict);
  let parseTime: TimeParser | null = null;
  let previousLine = '';
  let repeatCount = 0;
  let count = 0;

  for (let i = start; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line === previousLine) {
      repeatCount++;
      continue;
    }
    const cells = splitCells(line, header.delimiter, cellCount);
    parseTime ??= chooseTimeParser(cells[header.timeIndex] ?? '', header);
    const time = parseTime === null ? NaN : parseTime(cells[header.timeIndex] ?? '');
    if (cells.length !== cellCount || Number.isNaN(time)) {
      damage.report(
        i + 1,
        `expected ${cellCount} cells with a time in column ${header.timeIndex + 1}, found ${cells.length}`,
      );
      continue;
    }
    previousLine = line;
    times[count] = time;
    for (let j = 0; j < cellCount; j++) columns[j][count] = parseNumber(cells[j]);
    count++;
  }

  if (count === 0) {
    throw new LogFormatError(
      fileName,
      { line: start + 1 },
      'expected data rows after the header',
    );
  }
  const warnings = damage.warnings('truncated or malformed rows');
  if (repeatCount > 0) {
    warnings.push(`${fileName}: dropped ${repeatCount} rows that repeat the previous row`);
  }
  return {
    times: times.slice(0, count),
    columns: columns.map((c) => c.slice(0, count)),
    warnings,
    isTimeOfDay: parseTime === parseTimeOfDay,
  };
}

/**
 * Spreads rows that share a whole-second timestamp. When every time is a
 * whole number and rows repeat a timestamp, the clock is coarser than the
 * rows: the k rows stamped t were taken between t and the next timestamp,
 * so they are placed evenly over that interval. When the next timestamp is
 * more than the gap threshold away (the logger paused), or for the last
 * group, the rows are placed one typical row period apart instead.
 */
export function spreadWholeSeconds(
  timesS: Float64Array,
  fileName: string,
): { timesS: Float64Array; warnings: string[] } {
  if (!isWholeSecondClock(timesS)) return { timesS, warnings: [] };

  const spread = new Float64Array(timesS.length);
  const rowPeriodS = (timesS[timesS.length - 1] - timesS[0]) / Math.max(1, timesS.length - 1);
  let start = 0;
  while (start < timesS.length) {
    let end = start;
    while (end < timesS.length && timesS[end] === timesS[start]) end++;
    const rows = end - start;
    const nextS = end < timesS.length ? timesS[end] : NaN;
    const intervalS = nextS - timesS[start];
    const isPaused = !(intervalS <= DEFAULT_GAP_THRESHOLD_S);
    const stepS = isPaused ? Math.min(rowPeriodS, 1 / rows) : intervalS / rows;
    for (let i = 0; i < rows; i++) spread[start + i] = timesS[start] + i * stepS;
    start = end;
  }
  return {
    timesS: spread,
    warnings: [`${fileName}: rows sharing a whole-second timestamp were spread evenly up to the next one`],
  };
}

function isWholeSecondClock(timesS: Float64Array): boolean {
  let hasRepeat = false;
  for (let i = 0; i < timesS.length; i++) {
    if (!Number.isInteger(timesS[i])) return false;
    if (i > 0 && timesS[i] === timesS[i - 1]) hasRepeat = true;
  }
  return hasRepeat && typicalPeriodS(timesS) >= 1;
}
