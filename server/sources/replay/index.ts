/**
 * @module The `replay:FILE` source: plays a recorded engine log through the
 * pipeline on the session clock. `replay:FILE?speed=4` plays four times
 * faster; `replay:FILE?speed=max` plays as fast as the pipeline can step a
 * virtual clock. Optional `stoich=9.8` sets the fuel's stoichiometric AFR
 * for logs that record AFR rather than lambda. `fault=boost-leak@120:0.6`
 * superimposes an engine fault on the log from 120 s on (repeatable, with
 * `seed=N` for the fault's noise).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DEFAULT_CONVERSION, type ConversionContext } from '../../domain/units.ts';
import { createCaptureReplaySource, detectCaptureFormat } from '../can/index.ts';
import type { FaultSpec } from '../../engine/index.ts';
import { parseFault } from '../sim/spec.ts';
import { SourceConfigError, type SourceFactory } from '../source.ts';
import { DETECT_HEAD_BYTES, LOG_FORMATS, detectLogFormat, type LogFormat } from './formats.ts';
import { ReplaySource } from './replay-source.ts';

/**
 * Largest log file a replay loads. Parsing keeps every field as 8-byte
 * floats, several times the file size, so this bounds memory on a small
 * board.
 */
// NOTE: sized for a Raspberry Pi with 2-4 GB; longer logs must be split.
export const MAX_REPLAY_FILE_BYTES = 256 * 1024 * 1024;

/** Parsed `replay:` source value. */
export interface ReplaySpec {
  readonly path: string;
  readonly format: LogFormat;
  /** Playback speed factor; 1 for `speed=max`, which also sets `isMaxSpeed`. */
  readonly speed: number;
  readonly isMaxSpeed: boolean;
  readonly conversion: ConversionContext;
  /** Faults superimposed on the log (`fault=KIND@ONSET[:SEVERITY]`, repeatable). */
  readonly faults: readonly FaultSpec[];
  /** Seed of the fault superimposers' noise (`seed=N`, default 1). */
  readonly faultSeed: number;
}

/** Builds a replay source from `FILE`, `FILE?speed=4` or `FILE?speed=max`. */
export const createReplaySource: SourceFactory = (spec, options) => {
  if (isCaptureFile(spec)) return createCaptureReplaySource(spec, options);
  const parsed = parseReplaySpec(spec, process.cwd());
  return new ReplaySource(`replay:${spec}`, parsed, options);
};

/**
 * True when the file is a CAN capture (candump or Vector ASC). A capture
 * replays through the CAN source, which decodes frames lazily with the DBC
 * and reports bus health and overdue messages as a live bus would.
 */
function isCaptureFile(spec: string): boolean {
  const [file] = splitOnce(spec, '?');
  const path = resolve(process.cwd(), file);
  if (file.trim() === '' || !existsSync(path) || !statSync(path).isFile()) return false;
  const head = new TextDecoder().decode(readHead(path));
  return detectCaptureFormat(head) !== null;
}

/** Parses and checks a replay source value; throws `SourceConfigError` with the fix. */
export function parseReplaySpec(spec: string, baseDir: string): ReplaySpec {
  const [file, query = ''] = splitOnce(spec, '?');
  if (file.trim() === '') {
    throw new SourceConfigError(
      'replay needs a log file: use --source replay:PATH, for example replay:logs/drive.mlg',
    );
  }
  const path = resolve(baseDir, file);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new SourceConfigError(
      `replay path ${path} is a folder; give the path of a log file inside it`,
    );
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SourceConfigError(
      `replay file ${path} was not found; give the path of an existing log file`,
    );
  }
  const sizeBytes = statSync(path).size;
  if (sizeBytes > MAX_REPLAY_FILE_BYTES) {
    throw new SourceConfigError(
      `replay file ${path} is ${sizeBytes} bytes, more than the ${MAX_REPLAY_FILE_BYTES} bytes a replay loads; split the log into shorter files`,
    );
  }

  const format = detectLogFormat(readHead(path), basename(path));
  if (format === null) {
    const known = LOG_FORMATS.map((f) => f.label).join(', ');
    throw new SourceConfigError(
      `replay file ${path} is in no known log format; readable formats are: ${known}`,
    );
  }

  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!REPLAY_OPTIONS.includes(key)) {
      throw new SourceConfigError(
        `unknown replay option ${key}; the options are speed=N|max, stoich=AFR, ` +
          'fault=KIND@ONSET_S[:SEVERITY] and seed=N',
      );
    }
  }
  const speedText = params.get('speed') ?? '1';
  const isMaxSpeed = speedText === 'max';
  const speed = isMaxSpeed ? 1 : Number(speedText);
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new SourceConfigError(
      `invalid replay speed ${speedText}; use a positive number such as speed=4, or speed=max`,
    );
  }

  return {
    path,
    format,
    speed,
    isMaxSpeed,
    conversion: parseStoich(params.get('stoich')),
    faults: params.getAll('fault').map((text) => parseFault(text, 'replay')),
    faultSeed: parseSeed(params.get('seed')),
  };
}

const REPLAY_OPTIONS = ['speed', 'stoich', 'fault', 'seed'];

function parseSeed(text: string | null): number {
  if (text === null) return 1;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new SourceConfigError(`invalid replay seed ${text}; use a whole number, 0 or more`);
  }
  return seed;
}

function parseStoich(text: string | null): ConversionContext {
  if (text === null) return DEFAULT_CONVERSION;
  const stoichAfr = Number(text);
  if (!(stoichAfr >= 5 && stoichAfr <= 20)) {
    throw new SourceConfigError(
      `invalid stoich ${text}; give the fuel's stoichiometric AFR, such as 14.7 for petrol or 9.8 for E85`,
    );
  }
  return { ...DEFAULT_CONVERSION, stoichAfr };
}

function readHead(path: string): Uint8Array {
  const head = new Uint8Array(DETECT_HEAD_BYTES);
  const fd = openSync(path, 'r');
  try {
    const length = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.lastIndexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
