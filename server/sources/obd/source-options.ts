/**
 * @module Parses the part of an `obd:` source value after the scheme, such
 * as `/dev/serial/by-id/usb-...-port0?baud=38400&atz=0`, into checked
 * options. Rejects anything unknown with the accepted forms.
 */
import { SourceConfigError } from '../source.ts';
import { SPEED_CODES } from '../../serial/index.ts';
import type { ResetMode } from './elm327.ts';

/** Checked options of an OBD-II source. */
export interface ObdSourceOptions {
  readonly path: string;
  /** Line speed in baud, or null to detect it. */
  readonly baudRate: number | null;
  readonly reset: ResetMode;
  /** `ATSP` argument: `0` searches automatically, `6` forces CAN 11-bit 500 kbaud, and so on. */
  readonly protocol: string;
  /** Largest PIDs per request; lower it for adapters that overflow. */
  readonly maxPidsPerRequest: number;
  /** Timeout of one OBD request, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Seconds between reads of the trouble codes while live; 0 reads them only at connect. */
  readonly codesEveryS: number;
  /** False turns off the response-count digit even where the adapter accepts it. */
  readonly useResponseCount: boolean;
}

const USAGE =
  'Use obd:PATH[?baud=38400|auto][&atz=0|1][&reset=atz|atws|atd|none][&protocol=0-9|A-C]' +
  '[&pids=1-6][&timeout=MS][&codes=S][&count=auto|0], for example obd:/dev/ttyUSB0?baud=38400&atz=0.';

/** Parses an `obd:` source value; throws `SourceConfigError` naming the bad part and the fix. */
export function parseObdSpec(spec: string): ObdSourceOptions {
  const [path, query = ''] = splitOnce(spec, '?');
  if (path === '' || !path.startsWith('/')) {
    throw new SourceConfigError(`The OBD source needs an absolute device path, got "${spec}". ${USAGE}`);
  }
  const params = new URLSearchParams(query);
  const options = {
    path,
    baudRate: parseBaud(params.get('baud')),
    reset: parseReset(params.get('reset'), params.get('atz')),
    protocol: parseProtocol(params.get('protocol')),
    maxPidsPerRequest: parseInteger('pids', params.get('pids'), 6, 1, 6),
    requestTimeoutMs: parseInteger('timeout', params.get('timeout'), 2000, 100, 60000),
    codesEveryS: parseInteger('codes', params.get('codes'), 60, 0, 86400),
    useResponseCount: parseCount(params.get('count')),
  };

  const known = new Set(['baud', 'atz', 'reset', 'protocol', 'pids', 'timeout', 'codes', 'count']);
  for (const key of params.keys()) {
    if (!known.has(key)) throw new SourceConfigError(`Unknown OBD source option "${key}". ${USAGE}`);
  }
  return options;
}

function parseBaud(value: string | null): number | null {
  if (value === null || value === 'auto') return null;
  const baud = Number(value);
  if (SPEED_CODES[baud] === undefined) {
    throw new SourceConfigError(
      `Invalid baud=${value}; use auto or one of ${Object.keys(SPEED_CODES).join(', ')}.`,
    );
  }
  return baud;
}

function parseReset(reset: string | null, atz: string | null): ResetMode {
  if (reset !== null) {
    if (reset === 'atz' || reset === 'atws' || reset === 'atd' || reset === 'none') return reset;
    throw new SourceConfigError(`Invalid reset=${reset}. ${USAGE}`);
  }
  if (atz === null || atz === '1') return 'atz';
  if (atz === '0') return 'atd';
  throw new SourceConfigError(`Invalid atz=${atz}; use atz=1 (full reset) or atz=0 (ATD only).`);
}

function parseCount(value: string | null): boolean {
  if (value === null || value === 'auto') return true;
  if (value === '0') return false;
  throw new SourceConfigError(
    `Invalid count=${value}; use auto (probe the response-count digit) or 0 (never send it).`,
  );
}

function parseProtocol(value: string | null): string {
  if (value === null) return '0';
  const protocol = value.toUpperCase();
  if (/^[0-9A-C]$/.test(protocol)) return protocol;
  throw new SourceConfigError(
    `Invalid protocol=${value}; use 0 (automatic) or 1-9, A-C as numbered by ATSP.`,
  );
}

function parseInteger(
  name: string,
  value: string | null,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new SourceConfigError(`Invalid ${name}=${value}; use a whole number from ${min} to ${max}.`);
  }
  return number;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
