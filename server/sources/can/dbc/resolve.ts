/**
 * @module Checks that parse only once the whole DBC file is read: which
 * multiplexor selects each multiplexed signal, and each message's cycle time.
 */
import { DbcSyntaxError } from '../errors.ts';
import type { DbcDatabase, DbcMessage, DbcSignal } from './types.ts';

const CYCLE_TIME_ATTRIBUTE = 'GenMsgCycleTime';

/**
 * Links every multiplexed signal to its multiplexor and rejects loops.
 * Simple multiplexing (`mN` without `SG_MUL_VAL_`) needs exactly one `M`.
 */
export function resolveMultiplexing(database: DbcDatabase, file: string): void {
  for (const message of database.messages) {
    const multiplexors = message.signals.filter((s) => s.isMultiplexor);
    for (const signal of message.signals) {
      if (signal.muxRanges === null) continue;
      if (signal.multiplexerName === null) {
        signal.multiplexerName = onlyMultiplexor(message, multiplexors, signal, file);
      }
      checkMultiplexor(message, signal, file);
    }
    for (const signal of message.signals) checkNoLoop(message, signal, file);
  }
}

function onlyMultiplexor(
  message: DbcMessage,
  multiplexors: readonly DbcSignal[],
  signal: DbcSignal,
  file: string,
): string {
  const candidates = multiplexors.filter((m) => m !== signal);
  if (candidates.length === 1) return candidates[0].name;
  const found =
    candidates.length === 0
      ? `no multiplexor (M) in message ${message.name}`
      : `${candidates.length} multiplexors in message ${message.name}`;
  throw new DbcSyntaxError(
    file,
    signal.line,
    1,
    `one multiplexor for ${signal.name}, or SG_MUL_VAL_ naming it`,
    found,
  );
}

function checkMultiplexor(message: DbcMessage, signal: DbcSignal, file: string): void {
  const multiplexor = message.signals.find((s) => s.name === signal.multiplexerName);
  if (multiplexor?.isMultiplexor) return;
  throw new DbcSyntaxError(
    file,
    signal.line,
    1,
    `a multiplexor signal (M) named ${signal.multiplexerName} in message ${message.name}`,
    multiplexor ? 'a signal that is not a multiplexor' : 'no such signal',
  );
}

function checkNoLoop(message: DbcMessage, signal: DbcSignal, file: string): void {
  let current: DbcSignal | undefined = signal;
  for (let depth = 0; current?.multiplexerName; depth++) {
    if (depth > message.signals.length) {
      throw new DbcSyntaxError(
        file,
        signal.line,
        1,
        'multiplexors that do not select each other in a loop',
        `a loop through ${signal.name}`,
      );
    }
    const name: string = current.multiplexerName;
    current = message.signals.find((s) => s.name === name);
  }
}

/**
 * Sets each message's cycle time from `GenMsgCycleTime` or its default.
 * Returns a warning per message whose value is negative or not a number,
 * since the overdue check is then off for it; 0 means not cyclic.
 */
export function resolveCycleTimes(database: DbcDatabase): string[] {
  const warnings: string[] = [];
  const fallback = database.attributeDefinitions.get(CYCLE_TIME_ATTRIBUTE)?.defaultValue;
  for (const message of database.messages) {
    const value = message.attributes.get(CYCLE_TIME_ATTRIBUTE) ?? fallback;
    const ms = typeof value === 'number' ? value : Number(value);
    message.cycleTimeMs = Number.isFinite(ms) && ms > 0 ? ms : null;
    if (value === undefined || (Number.isFinite(ms) && ms >= 0)) continue;
    warnings.push(
      `${CYCLE_TIME_ATTRIBUTE} of message ${message.name} is ${JSON.stringify(value).slice(0, 40)}, ` +
        'not a number of ms from 0 up: the overdue check is off for it',
    );
  }
  return warnings;
}
