/**
 * @module Helpers shared by the text log parsers: decoding, line and cell
 * splitting, number parsing, row-damage bookkeeping and clock repair.
 */
import { LogFormatError } from '../errors.ts';

/** Decodes file bytes as UTF-8 and drops a byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits text into lines without their `\n` or `\r\n` endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * Splits a row into cells without surrounding quotes. One empty cell after
 * a trailing delimiter (OBD loggers end every row with a comma) is dropped
 * when the row has more cells than `expectedCount`, or always without it.
 * With `;` as delimiter, a decimal comma (`12,5`) becomes a point, because
 * exports in European locales write numbers that way.
 */
export function splitCells(line: string, delimiter: string, expectedCount = 0): string[] {
  const cells = line.split(delimiter);
  const last = cells[cells.length - 1];
  if (cells.length > Math.max(1, expectedCount) && last.trim() === '') cells.pop();
  const unquoted = cells.map(unquote);
  return delimiter === ';' ? unquoted.map(toDecimalPoint) : unquoted;
}

function toDecimalPoint(cell: string): string {
  return /^\s*-?\d+,\d+\s*$/.test(cell) ? cell.replace(',', '.') : cell;
}

/** Parses a numeric cell; an empty cell or a placeholder such as `-` is NaN. */
export function parseNumber(cell: string): number {
  const text = cell.trim();
  if (text === '' || text === '-' || text === '--') return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** Returns true when every non-empty cell of a row is a number. */
export function isNumericRow(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => Number.isFinite(Number(c.trim())));
}

/** Picks the delimiter (tab, comma or semicolon) that splits a header row most. */
export function guessDelimiter(line: string): string {
  const candidates = ['\t', ',', ';'];
  let best = ',';
  let bestCount = 0;
  for (const delimiter of candidates) {
    const count = line.split(delimiter).length;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Collects skipped rows of a text log: in strict mode the first one
 * throws, otherwise they become one warning that names the first lines.
 */
export class RowDamage {
  private readonly lines: number[] = [];

  constructor(
    private readonly fileName: string,
    private readonly isStrict: boolean,
  ) {}

  /** Records a damaged row at a 1-based line number. */
  report(line: number, problem: string): void {
    if (this.isStrict) throw new LogFormatError(this.fileName, { line }, problem);
    this.lines.push(line);
  }

  /** Returns the warning for the skipped rows, or nothing when none. */
  warnings(what: string): string[] {
    if (this.lines.length === 0) return [];
    const shown = this.lines.slice(0, 5).join(', ');
    const more = this.lines.length > 5 ? ` and ${this.lines.length - 5} more` : '';
    return [`${this.fileName}: skipped ${this.lines.length} ${what} at lines ${shown}${more}`];
  }

  get count(): number {
    return this.lines.length;
  }
}

/**
 * Makes a clock ascending. A time of day that steps back by more than 12 h
 * crossed midnight, so it gains 24 h. Any other step back is a restart of
 * the logger's clock, so the rows after it continue one typical row period
 * after the previous row. Returns the repaired times and a warning per kind.
 */
export function repairClock(
  timesS: Float64Array,
  fileName: string,
  isTimeOfDay: boolean,
): { timesS: Float64Array; warnings: string[] } {
  const repaired = new Float64Array(timesS.length);
  const periodS = typicalPeriodS(timesS);
  let offsetS = 0;
  let midnights = 0;
  let restarts = 0;

  for (let i = 0; i < timesS.length; i++) {
    let t = timesS[i] + offsetS;
    if (i > 0 && t < repaired[i - 1]) {
      if (isTimeOfDay && repaired[i - 1] - t > 43_200) {
        offsetS += 86_400;
        midnights++;
      } else {
        offsetS += repaired[i - 1] + periodS - t;
        restarts++;
      }
      t = timesS[i] + offsetS;
    }
    repaired[i] = t;
  }

  const warnings: string[] = [];
  if (midnights > 0) {
    warnings.push(`${fileName}: the time of day crossed midnight ${midnights} times`);
  }
  if (restarts > 0) {
    warnings.push(
      `${fileName}: the clock stepped back ${restarts} times; each was joined on as a restart`,
    );
  }
  return { timesS: repaired, warnings };
}

/** Median positive step between consecutive times, or 0.1 s without one. */
export function typicalPeriodS(timesS: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < timesS.length && steps.length < 10_000; i++) {
    const step = timesS[i] - timesS[i - 1];
    if (step > 0) steps.push(step);
  }
  if (steps.length === 0) return 0.1;
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1];
}

/** Parses `HH:MM:SS` or `HH:MM:SS.mmm` into seconds of the day, or NaN. */
export function parseTimeOfDay(cell: string): number {
  const match = /^\s*(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*$/.exec(cell);
  if (match === null) return NaN;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

function unquote(cell: string): string {
  const text = cell.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  return text;
}
