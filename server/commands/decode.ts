/**
 * @module `2jz-monitor decode --dbc FILE CAPTURE`: decodes a candump or
 * Vector ASC capture with a DBC and prints one JSON line per signal value:
 * `{"time":..,"message":..,"signal":..,"value":..,"unit":..}`, plus
 * `"label"` when the signal has a value table entry for the raw value.
 */
import { existsSync } from 'node:fs';
import { BUNDLED_DBCS, loadBundled } from '../sources/can/bundled.ts';
import { openCaptureFile } from '../sources/can/capture/index.ts';
import type { CompiledMessage } from '../sources/can/dbc/compiled-message.ts';
import {
  DBC_EXTENDED_FLAG,
  DbcDecoder,
  loadDbcFile,
  type DbcDatabase,
  type DbcSignal,
} from '../sources/can/dbc/index.ts';
import { CanError, CaptureFormatError } from '../sources/can/errors.ts';
import { createFrame } from '../sources/can/frame.ts';
import type { Command } from './index.ts';

const USAGE = `usage: 2jz-monitor decode --dbc FILE|NAME [--message NAME|ID]... [--channel IFACE] CAPTURE

Decodes a candump log or Vector ASC capture and prints one JSON line per
signal value: time (s, capture clock), message, signal, value, unit, label.

  --dbc FILE|NAME   DBC file, or a bundled one: ${Object.keys(BUNDLED_DBCS).join(', ')}
  --message M       only messages named M or with id M (0x1C4 or 452, extended
                    ids also as the DBC writes them, with bit 31 set); repeatable
  --channel IFACE   only frames of this interface or channel, such as can0
`;

/** Bad capture lines reported on stderr before the rest are only counted. */
const REPORTED_BAD_LINES = 10;
const OUTPUT_CHUNK_CHARS = 1 << 16;

interface DecodeArgs {
  readonly dbc: string;
  readonly capture: string;
  readonly messages: readonly string[];
  readonly channel: string | null;
}

function parseArgs(argv: readonly string[]): DecodeArgs | string {
  let dbc: string | undefined;
  let capture: string | undefined;
  let channel: string | null = null;
  const messages: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--help' || arg === '-h') return USAGE;
    if (arg === '--dbc' || arg === '--message' || arg === '--channel') {
      if (value === undefined) return `${arg} needs a value\n\n${USAGE}`;
      if (arg === '--dbc') dbc = value;
      else if (arg === '--message') messages.push(value);
      else channel = value;
      i++;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}\n\n${USAGE}`;
    } else if (capture === undefined) {
      capture = arg;
    } else {
      return `only one capture file can be decoded at a time, got ${capture} and ${arg}\n\n${USAGE}`;
    }
  }
  if (dbc === undefined || capture === undefined) return `--dbc and a capture file are required\n\n${USAGE}`;
  return { dbc, capture, messages, channel };
}

function loadDatabase(ref: string): DbcDatabase {
  const bundled = BUNDLED_DBCS[ref];
  if (bundled !== undefined) return loadBundled(bundled).database;
  if (!existsSync(ref)) throw new CanError(`DBC file ${ref} not found.`);
  return loadDbcFile(ref);
}

/** Returns the message filter, or throws naming a filter that matches no message. */
function messageFilter(database: DbcDatabase, requested: readonly string[]): Set<string> | null {
  if (requested.length === 0) return null;
  const names = new Set<string>();
  for (const item of requested) {
    const id = /^(0x[0-9a-f]+|\d+)$/i.test(item) ? Number(item) : Number.NaN;
    // DBC files write an extended id with bit 31 set: accept it as written.
    const isFlagged = id >= DBC_EXTENDED_FLAG;
    const bareId = isFlagged ? id - DBC_EXTENDED_FLAG : id;
    const match = database.messages.find(
      (m) => m.name === item || (m.id === bareId && (m.isExtended || !isFlagged)),
    );
    if (!match) throw new CanError(`--message ${item} matches no message of the DBC.`);
    names.add(match.name);
  }
  return names;
}

/** Largest number of decimals a value is rounded to. */
const MAX_DECIMALS = 12;

/** Returns how many decimals `value` needs when written out, such as 2 for 0.05. */
function decimalsOf(value: number): number {
  const [mantissa, exponent = '0'] = value.toExponential().split('e');
  const fractionDigits = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, fractionDigits - Number(exponent));
}

/**
 * Returns the decimals an integer signal's values can have: those of its
 * factor and offset, so raw * factor + offset drops float noise such as
 * 100.00000000000001. Null for float signals, which are printed whole.
 */
function resolutionDecimals(signal: DbcSignal): number | null {
  if (signal.valueType !== 'integer') return null;
  return Math.min(MAX_DECIMALS, Math.max(decimalsOf(signal.factor), decimalsOf(signal.offset)));
}

const decimalsBySignal = new Map<DbcSignal, number | null>();

/** Rounds a decoded value to its signal's resolution. */
function rounded(signal: DbcSignal, value: number): number {
  let decimals = decimalsBySignal.get(signal);
  if (decimals === undefined) {
    decimals = resolutionDecimals(signal);
    decimalsBySignal.set(signal, decimals);
  }
  if (decimals === null || !Number.isFinite(value)) return value;
  return Number(value.toFixed(decimals));
}

/** Formats the present signals of a decoded message as JSON lines. */
function formatMessage(compiled: CompiledMessage, timeS: number): string {
  let text = '';
  const message = compiled.message.name;
  for (let k = 0; k < compiled.signals.length; k++) {
    if (compiled.isPresent[k] === 0) continue;
    const signal = compiled.signals[k];
    const label = signal.valueLabels.get(compiled.rawValues[k]);
    const line: Record<string, unknown> = {
      time: timeS,
      message,
      signal: signal.name,
      value: rounded(signal, compiled.values[k]),
      unit: signal.unit,
    };
    if (label !== undefined) line.label = label;
    text += JSON.stringify(line) + '\n';
  }
  return text;
}

/** Runs the decode command; returns 0 on success, 1 on a usage or file error. */
export const runDecode: Command = async (argv) => {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    const isHelp = args === USAGE;
    (isHelp ? process.stdout : process.stderr).write(args);
    return isHelp ? 0 : 1;
  }
  try {
    return await decodeCapture(args);
  } catch (error) {
    if (!(error instanceof CanError)) throw error;
    process.stderr.write(`decode: ${error.message}\n`);
    return 1;
  }
};

/** Writes to stdout; returns false when the reader has gone (`| head`). */
async function writeOutput(text: string): Promise<boolean> {
  try {
    await Bun.write(Bun.stdout, text);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'EPIPE') return false;
    throw error;
  }
}

async function decodeCapture(args: DecodeArgs): Promise<number> {
  const database = loadDatabase(args.dbc);
  for (const warning of database.warnings) process.stderr.write(`decode: warning: ${warning}\n`);
  const filter = messageFilter(database, args.messages);
  const decoder = new DbcDecoder(database);
  const { reader } = openCaptureFile(args.capture);
  const frame = createFrame();
  let output = '';
  let badLines = 0;

  for (;;) {
    try {
      if (!reader.next(frame)) break;
    } catch (error) {
      if (!(error instanceof CaptureFormatError)) throw error;
      badLines++;
      if (badLines <= REPORTED_BAD_LINES) process.stderr.write(`decode: skipped ${error.message}\n`);
      continue;
    }
    if (frame.isError || frame.isRemote) continue;
    if (args.channel !== null && frame.channel !== args.channel) continue;
    const compiled = decoder.decode(frame.id, frame.isExtended, frame.data, frame.length);
    if (compiled === undefined || (filter !== null && !filter.has(compiled.message.name))) continue;
    output += formatMessage(compiled, frame.timeS);
    if (output.length > OUTPUT_CHUNK_CHARS) {
      if (!(await writeOutput(output))) return 0;
      output = '';
    }
  }
  if (!(await writeOutput(output))) return 0;

  const { decodedFrames, unknownIdFrames, wrongLengthFrames } = decoder.counters;
  process.stderr.write(
    `decode: ${decodedFrames} frames decoded, ${unknownIdFrames} with ids not in the DBC, ` +
      `${wrongLengthFrames} with a length other than the DBC's, ${badLines} unreadable lines\n`,
  );
  return 0;
}
