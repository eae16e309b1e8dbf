/**
 * @module The entry for CAN captures in the replay format table: detects
 * candump and Vector ASC text and turns a capture into a log table whose
 * columns are canonical channels, decoded with the DBC given by `--dbc`.
 */
import type { LogFormat } from '../replay/formats.ts';
import type { LogColumn, LogTable, ParseOptions } from '../replay/log-table.ts';
import { findAlias } from '../../domain/aliases.ts';
import { channelSpec, type ChannelId } from '../../domain/channels.ts';
import type { SourceOptions } from '../source.ts';
import { isAscText } from './capture/asc.ts';
import { isCandumpText } from './capture/candump.ts';
import { detectCaptureFormat, readCaptureText } from './capture/index.ts';
import { CanError, CaptureFormatError } from './errors.ts';
import { createFrame } from './frame.ts';
import { createIngest, resolveCanSetup } from './options.ts';

/** Options of `open` for CAN captures: the DBC and mapping to decode with. */
export interface CaptureParseOptions extends ParseOptions {
  readonly dbc?: string;
  readonly canMap?: string;
}

/**
 * Reads `--dbc FILE` and `--can-map FILE` (also `--dbc=FILE`) from the
 * command line.
 * NOTE: the replay format table calls `open` without the source flags, so
 * this entry reads them from the process arguments unless `options` names them.
 */
export function canFlagsFromArgv(argv: readonly string[]): SourceOptions['flags'] {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(dbc|can-map)(?:=(.*))?$/.exec(argv[i]);
    if (match === null) continue;
    const value = match[2] ?? argv[i + 1];
    if (value !== undefined) flags[match[1]] = value;
  }
  return flags;
}

/** Decodes a whole capture into a log table of canonical channels. */
export function openCaptureTable(
  bytes: Uint8Array,
  fileName: string,
  options: CaptureParseOptions = {},
): LogTable {
  const text = Buffer.from(bytes).toString('latin1');
  const format = detectCaptureFormat(text.slice(0, 4096));
  if (format === null) throw new CaptureFormatError(fileName, 1, 'not a candump or ASC capture');
  const flags = { ...canFlagsFromArgv(process.argv), ...pick(options) };
  const query = new URLSearchParams();
  let setup;
  try {
    setup = resolveCanSetup(query, { flags, dataDir: '' });
  } catch (error) {
    throw new CanError(`${fileName}: ${(error as Error).message}`);
  }

  const { ingest, warnings: setupWarnings } = createIngest(setup);
  const reader = readCaptureText(text, format, fileName);
  const frame = createFrame();
  const times: number[] = [];
  const rows: Array<Map<ChannelId, number>> = [];
  const warnings: string[] = [...setupWarnings];
  for (;;) {
    try {
      if (!reader.next(frame)) break;
    } catch (error) {
      if (options.strict || !(error instanceof CaptureFormatError)) throw error;
      warnings.push(`skipped ${error.message}`);
      continue;
    }
    ingest.accept(frame, frame.timeS);
    const samples = ingest.takeSamples();
    if (samples.length === 0) continue;
    times.push(frame.timeS);
    rows.push(new Map(samples.map((s) => [s.channel, s.value])));
  }
  if (rows.length === 0) {
    const reasons = setupWarnings.length === 0 ? '' : ` (${setupWarnings.join('; ')})`;
    throw new CanError(
      `${fileName}: no frame of the capture carries a signal mapped by ${setup.dbcLabel}${reasons}.`,
    );
  }
  return {
    format: format === 'candump' ? 'candump' : 'vector-asc',
    fileName,
    timesS: Float64Array.from(times),
    columns: ingest.mappedChannels().map((channel) => column(channel, rows)),
    markers: [],
    warnings,
    meta: { captureFormat: format, dbc: setup.dbcLabel },
  };
}

function pick(options: CaptureParseOptions): Record<string, string> {
  const flags: Record<string, string> = {};
  if (options.dbc !== undefined) flags.dbc = options.dbc;
  if (options.canMap !== undefined) flags['can-map'] = options.canMap;
  return flags;
}

// Columns carry canonical values in the canonical unit. Each is named by
// the channel's label without its bracketed note ("Oil pressure (gauge)"
// becomes "Oil pressure"), because the alias table maps that name back.
function column(channel: ChannelId, rows: ReadonlyArray<Map<ChannelId, number>>): LogColumn {
  const spec = channelSpec(channel);
  const name = spec.label.replace(/\s*\(.*\)$/, '');
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = rows[i].get(channel) ?? Number.NaN;
  const isFound = findAlias(name)?.channel === channel;
  const excludedReason = isFound ? undefined : `the alias table has no name for ${channel}`;
  return { name, unit: spec.unit, values, excludedReason };
}

function headText(head: Uint8Array): string {
  return Buffer.from(head.subarray(0, 4096)).toString('latin1');
}

/** The replay format table entry for candump `-l` logs. */
export const CANDUMP_LOG_FORMAT: LogFormat = {
  id: 'candump',
  label: 'candump CAN log, decoded with --dbc',
  extensions: ['.log'],
  detect: (head) => isCandumpText(headText(head)),
  open: openCaptureTable,
};

/** The replay format table entry for Vector ASC captures. */
export const ASC_LOG_FORMAT: LogFormat = {
  id: 'vector-asc',
  label: 'Vector ASC CAN capture, decoded with --dbc',
  extensions: ['.asc'],
  detect: (head) => isAscText(headText(head)),
  open: openCaptureTable,
};
