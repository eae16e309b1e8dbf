/**
 * @module Maps decoded DBC signals onto canonical channels. A mapping file
 * (JSON) names, per `MESSAGE.SIGNAL` or plain `SIGNAL`, the channel and the
 * unit the signal's physical value is in, with an optional linear
 * correction. Without a mapping file, signals whose names are in the alias
 * table are mapped where their unit converts.
 */
import { readFileSync } from 'node:fs';
import { applyGaugeDefault, findAlias, parseLogUnit } from '../../domain/aliases.ts';
import { channelSpec, isChannelId, type ChannelId } from '../../domain/channels.ts';
import { toCanonical, type SourceUnit } from '../../domain/units.ts';
import type { DbcDatabase, DbcMessage, DbcSignal } from './dbc/types.ts';
import { CanError } from './errors.ts';

/** One target of a signal in a mapping file. */
export interface SignalTarget {
  readonly channel: ChannelId;
  /** Unit of the DBC physical value (after `scale` and `offset`). */
  readonly unit: SourceUnit;
  /** Applied before unit conversion: `value * scale + offset`. */
  readonly scale: number;
  readonly offset: number;
}

/** A parsed mapping file: targets by `MESSAGE.SIGNAL` or `SIGNAL` key. */
export interface SignalMapping {
  readonly description: string;
  readonly targets: ReadonlyMap<string, readonly SignalTarget[]>;
}

/** A mapping file that cannot be used; names the file and the entry. */
export class MappingError extends CanError {
  override name = 'MappingError';
}

/** Reads and validates a mapping file. Throws `MappingError` naming the file and key. */
export function loadMappingFile(path: string): SignalMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingError(`${path}: invalid JSON (${(error as Error).message}).`);
  }
  return parseMapping(json, path);
}

/** Validates mapping JSON already in memory; `file` names it in errors. */
export function parseMapping(json: unknown, file: string): SignalMapping {
  if (!isRecord(json) || !isRecord(json.signals)) {
    throw new MappingError(`${file}: expected an object with a "signals" object.`);
  }
  const targets = new Map<string, SignalTarget[]>();
  for (const [key, value] of Object.entries(json.signals)) {
    const entries = Array.isArray(value) ? value : [value];
    targets.set(key, entries.map((entry) => parseTarget(entry, `${file}: signal "${key}"`)));
  }
  const description = typeof json.description === 'string' ? json.description : '';
  return { description, targets };
}

function parseTarget(entry: unknown, where: string): SignalTarget {
  if (!isRecord(entry)) throw new MappingError(`${where}: expected {"channel", "unit"}.`);
  const { channel, unit, scale = 1, offset = 0 } = entry;
  if (typeof channel !== 'string' || !isChannelId(channel)) {
    throw new MappingError(`${where}: "${String(channel)}" is not a canonical channel id.`);
  }
  const sourceUnit = typeof unit === 'string' ? parseLogUnit(unit) : null;
  if (sourceUnit === null) {
    throw new MappingError(`${where}: unknown unit "${String(unit)}"; use e.g. kPa, °C, K, bar gauge.`);
  }
  if (typeof scale !== 'number' || typeof offset !== 'number') {
    throw new MappingError(`${where}: "scale" and "offset" must be numbers.`);
  }
  if (Number.isNaN(toCanonical(1, sourceUnit, channel))) {
    const canonical = channelSpec(channel).unit;
    throw new MappingError(`${where}: unit ${sourceUnit} does not convert to ${channel} (${canonical}).`);
  }
  return { channel, unit: sourceUnit, scale, offset };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A signal of a message routed to one canonical channel. */
export interface SignalRoute {
  readonly signalIndex: number;
  readonly signalName: string;
  readonly target: SignalTarget;
}

/**
 * Returns the routes of one message: from the mapping when given (keys
 * `MESSAGE.SIGNAL` first, then `SIGNAL`), else from the alias table.
 */
export function routesForMessage(message: DbcMessage, mapping: SignalMapping | null): SignalRoute[] {
  const routes: SignalRoute[] = [];
  message.signals.forEach((signal, signalIndex) => {
    const targets = mapping
      ? mapping.targets.get(`${message.name}.${signal.name}`) ?? mapping.targets.get(signal.name)
      : aliasTargets(signal);
    for (const target of targets ?? []) routes.push({ signalIndex, signalName: signal.name, target });
  });
  return routes;
}

function aliasTargets(signal: DbcSignal): SignalTarget[] {
  const alias = findAlias(signal.name);
  if (alias === null) return [];
  const declared = signal.unit.trim() === '' ? null : parseLogUnit(signal.unit);
  const unit = applyGaugeDefault(alias, declared ?? alias.unitHint ?? channelSpec(alias.channel).unit);
  if (Number.isNaN(toCanonical(1, unit, alias.channel))) return [];
  return [{ channel: alias.channel, unit, scale: 1, offset: 0 }];
}

/** Lists the mapping keys that match no signal of the DBC, to warn about typos. */
export function unusedMappingKeys(mapping: SignalMapping, database: DbcDatabase): string[] {
  const known = new Set<string>();
  for (const message of database.messages) {
    for (const signal of message.signals) {
      known.add(`${message.name}.${signal.name}`);
      known.add(signal.name);
    }
  }
  return [...mapping.targets.keys()].filter((key) => !known.has(key));
}
