/**
 * @module Command-line options of `2jz-monitor [serve]`, parsed and checked
 * once, with errors that name the option and the fix.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 8765;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  readonly sources: readonly string[];
  readonly fallback: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  readonly profile: string;
  readonly dataDir: string;
  readonly jsonl: string | null;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Options passed through to sources, such as `dbc` and `can-map`. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const SERVE_USAGE = `Usage: 2jz-monitor [serve] [options]

Options:
  --source SPEC      data source; repeat for several (default: sim)
                       sim[:?seed=N&scenario=street&fault=KIND@SECONDS:SEVERITY]
                       replay:FILE[?speed=N|max]   (.mlg .msl .csv, candump .log, .asc)
                       obd:DEVICE[?baud=auto&atz=0&pids=6&count=auto]   (ELM327 adapter)
                       slcan:DEVICE[?bitrate=500000], socketcan:IFACE   (need --dbc)
  --fallback LIST    sources used while the main one is down, comma-separated,
                     or "none" (default: sim for hardware sources, none otherwise)
  --profile ID|FILE  engine profile: stock-twin, big-single or a JSON file
                     (default: stock-twin)
  --port N           HTTP and WebSocket port (default: ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDRESS     bind address (default: ${DEFAULT_HOST}); any other address
                     needs --token
  --token TOKEN      access token for write endpoints, 12 characters or more
                     (or 2JZ_MONITOR_TOKEN)
  --jsonl PATH       also write each tick as a JSON line to PATH, or - for stdout
  --data-dir DIR     logs, models and recordings (default: ~/.local/share/2jz-monitor)
  --dbc FILE|NAME    DBC for CAN sources and captures: a file, or a bundled one
                     (haltech-v2, emu-black, maxxecu, aem-infinity, rusefi-verbose,
                     link-generic-dash); --can-map FILE maps its signals
  --log-level LEVEL  debug, info, warn or error (default: info)
  -h, --help         show this help
`;

/** Parses serve options; throws a `UsageError` naming the bad option. */
export function parseServeOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ServeOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      source: { type: 'string', multiple: true },
      fallback: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      profile: { type: 'string' },
      'data-dir': { type: 'string' },
      jsonl: { type: 'string' },
      dbc: { type: 'string' },
      'can-map': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"; options start with --`);
  }

  const sources = values.source ?? ['sim'];
  const host = values.host ?? DEFAULT_HOST;
  const token = values.token ?? env['2JZ_MONITOR_TOKEN'] ?? null;
  checkHostAndToken(host, token);

  return {
    sources,
    fallback: parseFallback(values.fallback, sources),
    host,
    port: parsePort(values.port),
    token,
    profile: values.profile ?? 'stock-twin',
    dataDir: resolve(values['data-dir'] ?? defaultDataDir(env)),
    jsonl: values.jsonl ?? null,
    logLevel: parseLevel(values['log-level']),
    flags: { dbc: values.dbc, 'can-map': values['can-map'] },
  };
}

/** True when `--help` or `-h` is among the arguments. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function checkHostAndToken(host: string, token: string | null): void {
  if (token !== null && token.length < 12) {
    throw new UsageError('--token must be at least 12 characters; use a random string');
  }
  if (!isLoopback(host) && token === null) {
    throw new UsageError(
      `--host ${host} exposes the monitor beyond this machine; give an access token ` +
        'with --token or 2JZ_MONITOR_TOKEN so write endpoints are protected',
    );
  }
}

/** True for loopback addresses, on which no token is required. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${text} is not a port number; use 0 to 65535`);
  }
  return port;
}

function parseLevel(text: string | undefined): ServeOptions['logLevel'] {
  const level = text ?? 'info';
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  throw new UsageError(`--log-level ${level} is not a level; use debug, info, warn or error`);
}

/**
 * Hardware sources fall back to the simulator by default, as the monitor's
 * fallback order is hardware, simulation, manual input. A replay or the
 * simulator itself gets no fallback: a replay is an analysis run.
 */
function parseFallback(text: string | undefined, sources: readonly string[]): string[] {
  if (text === 'none') return [];
  if (text !== undefined) return text.split(',').map((s) => s.trim()).filter(Boolean);
  const hasHardware = sources.some((s) => /^(obd|slcan|socketcan):/.test(s));
  return hasHardware ? ['sim'] : [];
}

function defaultDataDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, '2jz-monitor');
}
