/**
 * @module Maps a parsed log table onto canonical channels: alias lookup,
 * unit resolution and conversion, removal of impossible values, and the
 * detection of long silences. The result is columnar, one pair of typed
 * arrays per canonical channel, with times starting at 0.
 */
import {
  applyGaugeDefault,
  findAlias,
  parseLogUnit,
  type ChannelAlias,
} from '../../domain/aliases.ts';
import {
  channelSpec,
  type ChannelId,
} from '../../domain/channels.ts';
import {
  DEFAULT_CONVERSION,
  toCanonical,
  type ConversionContext,
  type SourceUnit,
} from '../../domain/units.ts';
import type { LogColumn, LogMarker, LogTable } from './log-table.ts';

/** One canonical channel of a recording. */
export interface RecordedChannel {
  readonly id: ChannelId;
  /** Column name in the log. */
  readonly sourceName: string;
  /** Unit the values were converted from. */
  readonly sourceUnit: SourceUnit;
  /** Seconds since the first record, ascending. */
  readonly timesS: Float64Array;
  /** Values in the channel's canonical unit. */
  readonly values: Float64Array;
  /** Count of values removed because they were physically impossible. */
  readonly droppedCount: number;
}

/** A log column that feeds no canonical channel, and why. */
export interface UnmappedColumn {
  readonly name: string;
  readonly unit: string;
  readonly reason: string;
}

/** A stretch of the log without records, longer than the gap threshold. */
export interface LogGap {
  readonly startS: number;
  readonly endS: number;
}

/** A log file converted to canonical channels and units. */
export interface Recording {
  readonly format: string;
  readonly fileName: string;
  readonly recordCount: number;
  /** Time of the last record, in seconds after the first. */
  readonly durationS: number;
  readonly channels: readonly RecordedChannel[];
  readonly unmapped: readonly UnmappedColumn[];
  /** Markers, in seconds after the first record. */
  readonly markers: readonly LogMarker[];
  readonly gaps: readonly LogGap[];
  readonly warnings: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
}

/** Options for `buildRecording`. */
export interface RecordingOptions {
  readonly conversion?: ConversionContext;
  /** Silences longer than this, in seconds, are listed as gaps. */
  readonly gapThresholdS?: number;
}

/** Default silence, in seconds, after which a log is taken to have a gap. */
export const DEFAULT_GAP_THRESHOLD_S = 5;

/** Builds the canonical recording of a parsed log table. */
export function buildRecording(table: LogTable, options: RecordingOptions = {}): Recording {
  const conversion = options.conversion ?? DEFAULT_CONVERSION;
  const threshold = options.gapThresholdS ?? DEFAULT_GAP_THRESHOLD_S;
  const origin = table.timesS.length > 0 ? table.timesS[0] : 0;
  const timesS = table.timesS.map((t) => t - origin);

  const channels: RecordedChannel[] = [];
  const unmapped: UnmappedColumn[] = [];
  const warnings = [...table.warnings];
  const claimedBy = new Map<ChannelId, string>();

  for (const column of table.columns) {
    const plan = planColumn(column, table, claimedBy);
    if ('reason' in plan) {
      unmapped.push({ name: column.name, unit: column.unit, reason: plan.reason });
      continue;
    }
    const channel = convertColumn(column, plan.channel, plan.unit, timesS, conversion);
    if (channel.values.length === 0) {
      const reason = channel.droppedCount > 0
        ? `every value is outside the physical range of ${channel.id}`
        : 'the column has no values';
      unmapped.push({ name: column.name, unit: column.unit, reason });
      continue;
    }
    claimedBy.set(plan.channel, column.name);
    if (channel.droppedCount > 0) {
      warnings.push(
        `${table.fileName}: dropped ${channel.droppedCount} values of ${column.name} ` +
          `outside the physical range of ${channel.id}`,
      );
    }
    channels.push(channel);
  }

  return {
    format: table.format,
    fileName: table.fileName,
    recordCount: timesS.length,
    durationS: timesS.length > 0 ? timesS[timesS.length - 1] : 0,
    channels,
    unmapped,
    markers: table.markers.map((m) => ({ timeS: m.timeS - origin, text: m.text })),
    gaps: findGaps(timesS, threshold),
    warnings,
    meta: table.meta,
  };
}

type ColumnPlan = { channel: ChannelId; unit: SourceUnit } | { reason: string };

function planColumn(
  column: LogColumn,
  table: LogTable,
  claimedBy: ReadonlyMap<ChannelId, string>,
): ColumnPlan {
  if (column.excludedReason !== undefined) return { reason: column.excludedReason };

  const alias = findAlias(column.name);
  if (alias === null) return { reason: 'no canonical channel has this name' };

  const owner = claimedBy.get(alias.channel);
  if (owner !== undefined) {
    return { reason: `${alias.channel} already comes from column ${owner}` };
  }

  const unit = resolveUnit(alias, column.unit, table.defaultTemperatureUnit);
  if (!Number.isFinite(toCanonical(1, unit, alias.channel))) {
    const target = channelSpec(alias.channel).unit;
    return { reason: `unit ${unit} cannot be converted to ${target} for ${alias.channel}` };
  }
  return { channel: alias.channel, unit };
}

/**
 * Picks the unit to convert from: the log's own unit when it is known,
 * else the firmware's default temperature unit for temperatures, else the
 * alias hint, else the canonical unit itself.
 */
function resolveUnit(
  alias: ChannelAlias,
  logUnit: string,
  defaultTemperatureUnit: SourceUnit | undefined,
): SourceUnit {
  const parsed = parseLogUnit(logUnit);
  if (parsed !== null) return applyGaugeDefault(alias, parsed);

  const canonical = channelSpec(alias.channel).unit;
  if (canonical === '°C' && defaultTemperatureUnit !== undefined) return defaultTemperatureUnit;
  return alias.unitHint ?? canonical;
}

function convertColumn(
  column: LogColumn,
  id: ChannelId,
  unit: SourceUnit,
  timesS: Float64Array,
  conversion: ConversionContext,
): RecordedChannel {
  const convert = affineConversion(unit, id, conversion);
  const spec = channelSpec(id);
  const times = new Float64Array(column.values.length);
  const values = new Float64Array(column.values.length);
  let count = 0;
  let droppedCount = 0;

  for (let i = 0; i < column.values.length; i++) {
    const raw = column.values[i];
    if (Number.isNaN(raw)) continue;

    const value = convert(raw);
    // Same test as `implausibleReason`, inlined because it runs per value.
    if (!(value >= spec.physicalMin && value <= spec.physicalMax)) {
      droppedCount++;
      continue;
    }
    times[count] = timesS[i];
    values[count] = value;
    count++;
  }

  return {
    id,
    sourceName: column.name,
    sourceUnit: unit,
    timesS: times.slice(0, count),
    values: values.slice(0, count),
    droppedCount,
  };
}

/**
 * Returns the unit conversion as `value * gain + offset` when it is affine
 * (every conversion in `units.ts` is today, which a third point confirms),
 * else the general per-value conversion.
 */
function affineConversion(
  unit: SourceUnit,
  id: ChannelId,
  conversion: ConversionContext,
): (value: number) => number {
  const offset = toCanonical(0, unit, id, conversion);
  const gain = toCanonical(1, unit, id, conversion) - offset;
  const probe = toCanonical(1000, unit, id, conversion);
  if (Math.abs(probe - (1000 * gain + offset)) <= 1e-9 * Math.max(1, Math.abs(probe))) {
    return (value) => value * gain + offset;
  }
  return (value) => toCanonical(value, unit, id, conversion);
}

function findGaps(timesS: Float64Array, thresholdS: number): LogGap[] {
  const gaps: LogGap[] = [];
  for (let i = 1; i < timesS.length; i++) {
    if (timesS[i] - timesS[i - 1] > thresholdS) {
      gaps.push({ startS: timesS[i - 1], endS: timesS[i] });
    }
  }
  return gaps;
}
