/**
 * @module Validation of manual input (`POST /ingest` bodies and WebSocket
 * `ingest` messages). The whole request is checked before anything is
 * stored, so a request with one bad sample stores nothing.
 */
import {
  CHANNEL_IDS,
  channelSpec,
  implausibleReason,
  isChannelId,
  type ChannelId,
} from '../domain/channels.ts';
import { parseUnit, toCanonical, type ConversionContext } from '../domain/units.ts';
import { HttpError } from './http-error.ts';

/** Largest number of samples accepted in one request. */
export const MAX_SAMPLES_PER_REQUEST = 10_000;

export interface ValidSample {
  readonly channel: ChannelId;
  readonly value: number;
}

/**
 * Validates an ingest body: one sample object, an array of samples, or
 * `{ "samples": [...] }`. Returns canonical samples or throws a 400
 * `HttpError` that names the field and the reason.
 */
export function validateIngestBody(body: unknown, context: ConversionContext): ValidSample[] {
  const { items, path } = samplesOf(body);
  if (items.length === 0) {
    throw invalid(path, 'contains no samples; send at least one {"channel", "value"} object');
  }
  if (items.length > MAX_SAMPLES_PER_REQUEST) {
    throw invalid(path, `has ${items.length} samples; the limit is ${MAX_SAMPLES_PER_REQUEST} per request`);
  }
  return items.map((item, i) => validateSample(item, `${path}[${i}]`, context));
}

function samplesOf(body: unknown): { items: unknown[]; path: string } {
  if (Array.isArray(body)) return { items: body, path: 'body' };
  if (isRecord(body) && 'samples' in body) {
    if (!Array.isArray(body.samples)) throw invalid('samples', 'must be an array of samples');
    return { items: body.samples, path: 'samples' };
  }
  if (isRecord(body)) return { items: [body], path: 'body' };
  throw invalid('body', 'must be a JSON object or array of {"channel", "value", "unit"?} samples');
}

function validateSample(item: unknown, path: string, context: ConversionContext): ValidSample {
  if (!isRecord(item)) throw invalid(path, 'must be an object with "channel" and "value"');

  const { channel, value, unit } = item;
  if (channel === undefined) {
    throw invalid(`${path}.channel`, 'is missing; name one of the channels, such as "coolantC"');
  }
  if (typeof channel !== 'string' || !isChannelId(channel)) {
    throw invalid(
      `${path}.channel`,
      `${JSON.stringify(channel)} is not a known channel; use one of: ${CHANNEL_IDS.join(', ')}`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${path}.value`, `must be a finite number, got ${describeValue(value)}`);
  }

  const canonical = convert(value, unit, channel, `${path}.unit`, context);
  const reason = implausibleReason(channel, canonical);
  if (reason) throw invalid(`${path}.value`, `${reason}; check the value and its unit`);
  return { channel, value: canonical };
}

function convert(
  value: number,
  unit: unknown,
  channel: ChannelId,
  path: string,
  context: ConversionContext,
): number {
  if (unit === undefined) return value;
  const canonicalUnit = channelSpec(channel).unit;
  const parsed = typeof unit === 'string' ? parseUnit(unit) : null;
  if (parsed === null) {
    throw invalid(path, `${JSON.stringify(unit)} is not a known unit; omit it to send ${canonicalUnit}`);
  }
  const converted = toCanonical(value, parsed, channel, context);
  if (Number.isNaN(converted)) {
    throw invalid(path, `${parsed} cannot be converted to ${canonicalUnit} for ${channel}`);
  }
  return converted;
}

function invalid(field: string, reason: string): HttpError {
  return new HttpError(400, 'invalid_sample', `${field} ${reason}`, field);
}

/** Describes a rejected value; JSON would print Infinity from `1e999` as null. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
