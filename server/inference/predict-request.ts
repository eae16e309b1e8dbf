/**
 * @module Validation of `POST /predict` and `PATCH /update_model` bodies.
 * Errors name the offending field and state what is expected.
 */
import { implausibleReason, type ChannelId } from '../domain/channels.ts';
import { TICK_HZ } from '../protocol.ts';
import { emptySnapshot, HEALTH_CHANNELS, type HealthChannel } from './health/snapshot.ts';
import { MODEL_FILE_NAMES } from './model-files.ts';
import type { TimedSnapshot } from './service.ts';

/** Maximum samples in one prediction window: ten minutes at the tick rate. */
export const MAX_WINDOW_SAMPLES = 14_160;
/** Largest decoded model set accepted by `PATCH /update_model`, in bytes. */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

/** A request body that cannot be used; `field` is the path at fault. */
export class RequestFieldError extends Error {
  override name = 'RequestFieldError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses `{ "sample": {...} }` or `{ "samples": [{...}, ...] }`, where each
 * sample maps canonical channel ids to values and may carry `timeS`.
 */
export function parsePredictBody(body: unknown): TimedSnapshot[] {
  if (!isObject(body)) throw new RequestFieldError('body', 'must be a JSON object with "sample" or "samples"');
  let samples: unknown[];
  if (body.sample !== undefined) samples = [body.sample];
  else if (Array.isArray(body.samples)) samples = body.samples;
  else throw new RequestFieldError('body', 'must contain "sample" (one object) or "samples" (a list of objects)');

  const field = body.sample !== undefined ? 'sample' : 'samples';
  if (samples.length === 0) throw new RequestFieldError(field, 'must hold at least one sample');
  if (samples.length > MAX_WINDOW_SAMPLES) {
    throw new RequestFieldError(field, `contains ${samples.length} samples, more than the maximum of ${MAX_WINDOW_SAMPLES}; send a shorter window`);
  }

  let lastTimeS = -Infinity;
  return samples.map((sample, i) => {
    const path = body.sample !== undefined ? 'sample' : `samples[${i}]`;
    const parsed = parseSample(sample, path, i);
    if (parsed.timeS < lastTimeS) throw new RequestFieldError(`${path}.timeS`, `is ${parsed.timeS}, earlier than the sample before (${lastTimeS})`);
    lastTimeS = parsed.timeS;
    return parsed;
  });
}

function parseSample(sample: unknown, path: string, index: number): TimedSnapshot {
  if (!isObject(sample)) throw new RequestFieldError(path, 'must be an object of channel values, such as {"rpm": 4500}');
  const snapshot = emptySnapshot();
  let timeS = index / TICK_HZ;

  for (const [key, value] of Object.entries(sample)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RequestFieldError(`${path}.${key}`, `must be a finite number, got ${JSON.stringify(value)}`);
    }
    if (key === 'timeS') {
      timeS = value;
      continue;
    }
    if (!(HEALTH_CHANNELS as readonly string[]).includes(key)) {
      throw new RequestFieldError(`${path}.${key}`, `is not a channel the health model reads; use: timeS, ${HEALTH_CHANNELS.join(', ')}`);
    }
    const reason = implausibleReason(key as ChannelId, value);
    if (reason !== null) throw new RequestFieldError(`${path}.${key}`, `is impossible: ${reason}`);
    snapshot[key as HealthChannel] = value;
  }
  return { timeS, snapshot };
}

/**
 * Parses `{ "files": { "<name>": "<base64>", ... } }` with the four model
 * files; throws naming the file when one is missing, unknown or not base64.
 */
export function parseModelUpload(body: unknown): Map<string, Uint8Array> {
  if (!isObject(body) || !isObject(body.files)) {
    throw new RequestFieldError('files', `must be an object of base64 file contents named ${Object.values(MODEL_FILE_NAMES).join(', ')}`);
  }
  const expected: readonly string[] = Object.values(MODEL_FILE_NAMES);
  const files = new Map<string, Uint8Array>();
  let total = 0;

  for (const [name, value] of Object.entries(body.files)) {
    const path = `files["${name}"]`;
    if (!expected.includes(name)) throw new RequestFieldError(path, `is not a model file; the files are ${expected.join(', ')}`);
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      throw new RequestFieldError(path, 'must be the file content encoded as base64');
    }
    const bytes = new Uint8Array(Buffer.from(value, 'base64'));
    total += bytes.length;
    if (total > MAX_MODEL_BYTES) throw new RequestFieldError(path, `makes the model set larger than ${MAX_MODEL_BYTES} bytes`);
    files.set(name, bytes);
  }
  for (const name of expected) {
    if (!files.has(name)) throw new RequestFieldError(`files["${name}"]`, 'is missing; a model set needs all four files');
  }
  return files;
}
