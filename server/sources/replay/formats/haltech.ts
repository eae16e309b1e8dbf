/**
 * @module Parser for Haltech NSP CSV exports: a `%DataLog%` line, `Key :
 * Value` metadata, one block per channel (`Channel`, `ID`, `Type`,
 * `DisplayMaxMin`), then rows of a `HH:MM:SS.mmm` time of day and raw
 * integers. The channel type sets the conversion of the raw integers.
 */
import { LogFormatError } from '../errors.ts';
import type { LogColumn, LogTable, ParseOptions } from '../log-table.ts';
import {
  RowDamage,
  decodeText,
  parseNumber,
  parseTimeOfDay,
  repairClock,
  splitCells,
  splitLines,
} from './text.ts';

/** Format id of Haltech NSP CSV exports. */
export const HALTECH_FORMAT_ID = 'haltech-nsp';

const FIRST_LINE = '%DataLog%';

/** Raw integers that Haltech NSP writes when a channel has no value. */
export const HALTECH_NO_VALUE = new Set([-2147483617, -2147483637]);

interface TypeConversion {
  readonly divisor: number;
  readonly offset: number;
  readonly unit: string;
}

// Raw integer → value in `unit` is raw / divisor + offset. Types not listed
// (Raw, Gear, Decibel, Time_us, ...) keep the raw integer and their type
// name as unit, so only an alias with a matching hint can map them.
const TYPE_CONVERSIONS: Readonly<Record<string, TypeConversion>> = {
  Pressure: { divisor: 10, offset: -101.3, unit: 'kPa gauge' },
  AbsPressure: { divisor: 10, offset: 0, unit: 'kPa' },
  Temperature: { divisor: 10, offset: 0, unit: 'K' },
  AFR: { divisor: 1000, offset: 0, unit: 'lambda' },
  Percentage: { divisor: 10, offset: 0, unit: '%' },
  Angle: { divisor: 10, offset: 0, unit: 'deg' },
  Speed: { divisor: 10, offset: 0, unit: 'km/h' },
  BatteryVoltage: { divisor: 1000, offset: 0, unit: 'V' },
  EngineSpeed: { divisor: 1, offset: 0, unit: 'rpm' },
};

interface HaltechChannel {
  readonly name: string;
  id?: string;
  type?: string;
  displayMaxMin?: string;
}

/** Returns true when the text starts with the Haltech `%DataLog%` line. */
export function isHaltechNsp(head: Uint8Array): boolean {
  return decodeText(head).trimStart().startsWith(FIRST_LINE);
}

/** Parses a Haltech NSP CSV export. */
export function parseHaltechNsp(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): LogTable {
  const lines = splitLines(decodeText(bytes));
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0 || lines[firstIndex].trim() !== FIRST_LINE) {
    throw new LogFormatError(
      fileName,
      { line: firstIndex + 1 },
      `expected the first line ${FIRST_LINE}`,
    );
  }

  const header = readHeader(lines, firstIndex + 1, fileName);
  const isStrict = options.strict === true;
  const rows = readRows(lines, header.dataIndex, header.channels.length, fileName, isStrict);
  const clock = repairClock(rows.times, fileName, true);
  const columns = header.channels.map((channel, j) => toColumn(channel, rows.columns[j]));

  return {
    format: HALTECH_FORMAT_ID,
    fileName,
    timesS: clock.timesS,
    columns,
    markers: [],
    warnings: [...rows.warnings, ...clock.warnings],
    meta: header.meta,
  };
}

function readHeader(lines: readonly string[], start: number, fileName: string) {
  const channels: HaltechChannel[] = [];
  const meta: Record<string, string> = {};
  let i = start;

  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (!Number.isNaN(parseTimeOfDay(line.split(',')[0]))) break;

    const separator = line.indexOf(' : ');
    if (separator < 0) {
      throw new LogFormatError(
        fileName,
        { line: i + 1 },
        'expected a "Key : Value" line or a data row starting with HH:MM:SS.mmm',
      );
    }
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 3).trim();
    const current = channels[channels.length - 1];
    if (key === 'Channel') channels.push({ name: value });
    else if (key === 'ID' && current !== undefined) current.id = value;
    else if (key === 'Type' && current !== undefined) current.type = value;
    else if (key === 'DisplayMaxMin' && current !== undefined) current.displayMaxMin = value;
    else meta[key] = value;
  }

  if (channels.length === 0) {
    throw new LogFormatError(
      fileName,
      { line: i + 1 },
      'expected "Channel : NAME" blocks before the data rows',
    );
  }
  return { channels, meta, dataIndex: i };
}

function readRows(
  lines: readonly string[],
  start: number,
  channelCount: number,
  fileName: string,
  isStrict: boolean,
) {
  const capacity = lines.length - start;
  const times = new Float64Array(capacity);
  const columns = Array.from({ length: channelCount }, () => new Float64Array(capacity));
  const damage = new RowDamage(fileName, isStrict);
  let count = 0;

  for (let i = start; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitCells(lines[i], ',', channelCount + 1);
    const time = parseTimeOfDay(cells[0]);
    if (Number.isNaN(time) || cells.length !== channelCount + 1) {
      damage.report(
        i + 1,
        `expected HH:MM:SS.mmm and ${channelCount} values, found ${cells.length} cells`,
      );
      continue;
    }
    times[count] = time;
    for (let j = 0; j < channelCount; j++) columns[j][count] = parseNumber(cells[j + 1]);
    count++;
  }

  if (count === 0) {
    throw new LogFormatError(
      fileName,
      { line: start + 1 },
      'expected data rows after the channel blocks',
    );
  }
  return {
    times: times.slice(0, count),
    columns: columns.map((c) => c.slice(0, count)),
    warnings: damage.warnings('damaged rows'),
  };
}

/**
 * Converts one channel's raw integers by its type. Sentinel values become
 * NaN; a channel with no other value is excluded as carrying no data.
 */
function toColumn(channel: HaltechChannel, raw: Float64Array): LogColumn {
  const type = channel.type ?? 'Raw';
  const conversion = TYPE_CONVERSIONS[type];
  const values = new Float64Array(raw.length);
  let valueCount = 0;

  for (let i = 0; i < raw.length; i++) {
    if (HALTECH_NO_VALUE.has(raw[i]) || Number.isNaN(raw[i])) {
      values[i] = NaN;
      continue;
    }
    values[i] = conversion === undefined ? raw[i] : raw[i] / conversion.divisor + conversion.offset;
    valueCount++;
  }

  return {
    name: channel.name.trim(),
    unit: conversion?.unit ?? type,
    values,
    excludedReason: valueCount === 0 ? 'every value is the Haltech no-value sentinel' : undefined,
  };
}
