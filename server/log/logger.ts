/**
 * @module Structured logging with named loggers. Each line carries a time,
 * a level, the logger name, a message and fields. Lines go to stderr and,
 * once `configureLogging` names a directory, to a rotating file. Repeats of
 * the same message from one logger are rate-limited: after `burst` lines in
 * a window, further repeats are counted and summarised once.
 */
import { join } from 'node:path';
import { RotatingFile } from './rotating-file.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly name: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(name: string): Logger;
}

interface Settings {
  level: LogLevel;
  /** Write to stderr. Off in tests and for `--jsonl -`, which owns stdout anyway. */
  isStderrEnabled: boolean;
  file: RotatingFile | null;
  /** Lines of one message allowed per window before repeats are suppressed. */
  burst: number;
  windowMs: number;
}

const settings: Settings = {
  level: 'info',
  isStderrEnabled: true,
  file: null,
  burst: 5,
  windowMs: 60_000,
};

/** Sets the level, stderr output and the directory of the rotating log file. */
export function configureLogging(options: {
  level?: LogLevel;
  isStderrEnabled?: boolean;
  directory?: string | null;
}): void {
  if (options.level) settings.level = options.level;
  if (options.isStderrEnabled !== undefined) settings.isStderrEnabled = options.isStderrEnabled;
  if (options.directory !== undefined) {
    settings.file?.close();
    settings.file = options.directory
      ? new RotatingFile(join(options.directory, 'monitor.log'))
      : null;
  }
}

/** Closes the log file; later lines go to stderr only. */
export function closeLogging(): void {
  settings.file?.close();
  settings.file = null;
}

interface RepeatState {
  windowStart: number;
  count: number;
}

const repeats = new Map<string, RepeatState>();

/** Returns the logger of a module, such as `sources.obd`. */
export function getLogger(name: string): Logger {
  const emit = (level: LogLevel, message: string, fields?: LogFields) =>
    write(name, level, message, fields);
  return {
    name,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (sub) => getLogger(`${name}.${sub}`),
  };
}

function write(name: string, level: LogLevel, message: string, fields?: LogFields): void {
  if (LEVEL_RANK[level] < LEVEL_RANK[settings.level]) return;

  const suppressed = checkRepeat(`${name}\u0000${message}`);
  if (suppressed === 'drop') return;

  const record: Record<string, unknown> = {
    time: new Date().toISOString(),
    level,
    logger: name,
    message,
    ...fields,
  };
  if (typeof suppressed === 'number') record.suppressedRepeats = suppressed;

  const line = JSON.stringify(record, errorReplacer);
  if (settings.isStderrEnabled) process.stderr.write(line + '\n');
  settings.file?.writeLine(line);
}

/**
 * Returns 'drop' for a repeat over the burst, the number of dropped repeats
 * when a new window opens after drops, or null to log normally.
 */
function checkRepeat(key: string): 'drop' | number | null {
  const now = Date.now();
  const state = repeats.get(key);
  if (!state || now - state.windowStart >= settings.windowMs) {
    const dropped = state ? Math.max(0, state.count - settings.burst) : 0;
    repeats.set(key, { windowStart: now, count: 1 });
    if (repeats.size > 10_000) repeats.clear();
    return dropped > 0 ? dropped : null;
  }
  state.count += 1;
  return state.count > settings.burst ? 'drop' : null;
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
