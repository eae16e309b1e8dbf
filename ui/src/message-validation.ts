/**
 * @module Parses and checks stream messages before any component reads
 * them. A message that does not match `server/protocol.ts` is rejected whole,
 * with a reason that names the offending field.
 */
import {
  SUBSYSTEMS,
  type ErrorMessage,
  type ServerMessage,
  type TickMessage,
} from '../../server/protocol.ts';

/** Maximum message length accepted, in characters (a tick is a few kilobytes). */
export const MAX_MESSAGE_CHARS = 1_000_000;

/** Outcome of parsing one stream message. */
export type ParseResult =
  | { readonly ok: true; readonly message: ServerMessage }
  | { readonly ok: false; readonly reason: string };

class InvalidMessage extends Error {}

const LIMIT_STATES = ['ok', 'warning', 'danger'];
const SOURCE_KINDS = ['hardware', 'replay', 'simulation', 'manual'];
const SOURCE_STATES = ['starting', 'live', 'reconnecting', 'stalled', 'ended', 'failed', 'stopped'];
const SEVERITIES = ['info', 'warning', 'danger'];
const EVENT_KINDS = ['source-change', 'source-state', 'gap', 'model-swap', 'codes', 'log-end'];

/** Parses one WebSocket text frame into a checked server message. */
export function parseServerMessage(data: unknown): ParseResult {
  if (typeof data !== 'string') {
    return { ok: false, reason: 'expected a text frame, got binary data' };
  }
  if (data.length > MAX_MESSAGE_CHARS) {
    const reason = `message of ${data.length} characters exceeds ${MAX_MESSAGE_CHARS}`;
    return { ok: false, reason };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { ok: false, reason: `invalid JSON starting with ${JSON.stringify(data.slice(0, 40))}` };
  }
  try {
    return { ok: true, message: checkServerMessage(parsed) };
  } catch (error) {
    if (error instanceof InvalidMessage) return { ok: false, reason: error.message };
    throw error;
  }
}

function checkServerMessage(value: unknown): ServerMessage {
  const message = record(value, 'message');
  if (message.type === 'tick') return checkTick(message);
  if (message.type === 'error') {
    text(message.code, 'code');
    text(message.message, 'message');
    return message as unknown as ErrorMessage;
  }
  throw new InvalidMessage(`type must be "tick" or "error", got ${describe(message.type)}`);
}

function checkTick(tick: Record<string, unknown>): TickMessage {
  const seq = finite(tick.seq, 'seq');
  if (!Number.isInteger(seq) || seq < 0) {
    throw new InvalidMessage(`seq must be a non-negative integer, got ${seq}`);
  }
  finite(tick.timeS, 'timeS');
  finite(tick.wallMs, 'wallMs');
  finite(tick.processingMs, 'processingMs');
  for (const [id, reading] of entries(tick.channels, 'channels')) {
    checkReading(reading, `channels.${id}`);
  }
  for (const [id, value] of entries(tick.derived, 'derived')) finite(value, `derived.${id}`);
  checkSources(tick.sources);
  if (tick.health !== undefined) checkHealth(tick.health);
  if (tick.codes !== undefined) checkCodes(tick.codes);
  if (tick.events !== undefined) checkEvents(tick.events);
  if (tick.bus !== undefined) record(tick.bus, 'bus');
  return tick as unknown as TickMessage;
}

function checkReading(value: unknown, path: string): void {
  const reading = record(value, path);
  if (reading.value !== null) finite(reading.value, `${path}.value`);
  if (typeof reading.stale !== 'boolean') {
    throw new InvalidMessage(`${path}.stale must be a boolean, got ${describe(reading.stale)}`);
  }
  oneOf(reading.state, LIMIT_STATES, `${path}.state`);
}

function checkSources(value: unknown): void {
  const section = record(value, 'sources');
  if (section.active !== null) text(section.active, 'sources.active');
  list(section.sources, 'sources.sources').forEach((item, i) => {
    const path = `sources.sources[${i}]`;
    const source = record(item, path);
    text(source.id, `${path}.id`);
    oneOf(source.kind, SOURCE_KINDS, `${path}.kind`);
    oneOf(source.state, SOURCE_STATES, `${path}.state`);
    if (source.detail !== undefined) text(source.detail, `${path}.detail`);
    finite(source.samplesReceived, `${path}.samplesReceived`);
  });
}

function checkHealth(value: unknown): void {
  const health = record(value, 'health');
  const subsystems = record(health.subsystems, 'health.subsystems');
  for (const id of SUBSYSTEMS) finite(subsystems[id], `health.subsystems.${id}`);
  list(health.reasons, 'health.reasons').forEach((item, i) => {
    const reason = record(item, `health.reasons[${i}]`);
    oneOf(reason.subsystem, SUBSYSTEMS, `health.reasons[${i}].subsystem`);
    text(reason.code, `health.reasons[${i}].code`);
    text(reason.text, `health.reasons[${i}].text`);
    oneOf(reason.severity, SEVERITIES, `health.reasons[${i}].severity`);
  });
  list(health.backends, 'health.backends').forEach((item, i) => checkBackend(item, i));
  if (health.agreement !== null) finite(health.agreement, 'health.agreement');
  for (const [id, seconds] of entries(health.timeToWarningS, 'health.timeToWarningS')) {
    finite(seconds, `health.timeToWarningS.${id}`);
  }
}

function checkBackend(value: unknown, i: number): void {
  const path = `health.backends[${i}]`;
  const backend = record(value, path);
  oneOf(backend.backend, ['onnx', 'tfjs'], `${path}.backend`);
  text(backend.modelVersion, `${path}.modelVersion`);
  for (const [name, p] of entries(backend.classProbabilities, `${path}.classProbabilities`)) {
    finite(p, `${path}.classProbabilities.${name}`);
  }
  finite(backend.latencyMs, `${path}.latencyMs`);
  if (backend.error !== undefined) text(backend.error, `${path}.error`);
}

function checkCodes(value: unknown): void {
  list(value, 'codes').forEach((item, i) => {
    const code = record(item, `codes[${i}]`);
    text(code.code, `codes[${i}].code`);
    oneOf(code.kind, ['stored', 'pending'], `codes[${i}].kind`);
    text(code.ecu, `codes[${i}].ecu`);
  });
}

function checkEvents(value: unknown): void {
  list(value, 'events').forEach((item, i) => {
    const event = record(item, `events[${i}]`);
    oneOf(event.kind, EVENT_KINDS, `events[${i}].kind`);
    text(event.text, `events[${i}].text`);
    finite(event.at, `events[${i}].at`);
  });
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidMessage(`${path} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function entries(value: unknown, path: string): [string, unknown][] {
  return Object.entries(record(value, path));
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new InvalidMessage(`${path} must be an array, got ${describe(value)}`);
  }
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidMessage(`${path} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new InvalidMessage(`${path} must be a string, got ${describe(value)}`);
  }
  return value;
}

function oneOf(value: unknown, allowed: readonly string[], path: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const choices = allowed.join(', ');
    throw new InvalidMessage(`${path} must be one of ${choices}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
