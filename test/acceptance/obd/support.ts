/**
 * @module Runs the built executable twice, as a user does for live OBD-II:
 * once as the ELM327 emulator on a pty and once as the monitor reading it,
 * and polls `/health` for the OBD-II source's status.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthResponse, SourceStatus } from '../../../server/protocol.ts';
import { EXECUTABLE } from '../executable.ts';

/** A child process of the executable that the test ends itself. */
export interface RunningChild {
  readonly spawned: ReturnType<typeof Bun.spawn>;
  /** Text written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** A monitor on a free loopback port. */
export interface RunningObdMonitor extends RunningChild {
  readonly port: number;
}

/** Returns a fresh folder for one test's links and data. */
export function obdFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `2jz-acceptance-obd-${name}-`));
}

function checkedExecutable(): string {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" (npm test does) first`);
  }
  return EXECUTABLE;
}

function collect(stream: ReadableStream<Uint8Array>, into: string[]): void {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  void (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      into.push(decoder.decode(read.value, { stream: true }));
    }
  })();
}

function spawnExecutable(args: readonly string[]): { child: RunningChild; stdout: string[] } {
  const spawned = Bun.spawn([checkedExecutable(), ...args], { stdout: 'pipe', stderr: 'pipe' });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collect(spawned.stdout as ReadableStream<Uint8Array>, stdout);
  collect(spawned.stderr as ReadableStream<Uint8Array>, stderr);
  const child: RunningChild = {
    spawned,
    stderr: () => stderr.join(''),
    stop: async () => {
      spawned.kill('SIGTERM');
      await spawned.exited;
    },
  };
  return { child, stdout };
}

async function waitUntil(isDone: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (isDone()) return;
    await Bun.sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts `2jz-monitor elm327-sim --link LINK ...args` and waits for the link. */
export async function startEmulator(
  link: string,
  args: readonly string[] = [],
): Promise<RunningChild> {
  const { child } = spawnExecutable(['elm327-sim', '--link', link, ...args]);
  await waitUntil(() => existsSync(link), `the emulator link ${link}`);
  return child;
}

/** Starts the monitor on `--port 0` with a private data folder and waits for its port. */
export async function startObdMonitor(
  folder: string,
  args: readonly string[],
): Promise<RunningObdMonitor> {
  const dataDir = join(folder, 'data');
  const { child, stdout } = spawnExecutable([...args, '--port', '0', '--data-dir', dataDir]);
  let port = 0;
  await waitUntil(() => {
    const match = /127\.0\.0\.1:(\d+)/.exec(stdout.join(''));
    if (match !== null) port = Number(match[1]);
    return port !== 0 || child.spawned.exitCode !== null;
  }, 'the monitor to print its address');
  if (port === 0) throw new Error(`the monitor exited: ${child.stderr()}`);
  return { ...child, port };
}

/** Fetches `/health` and returns the status of the source whose id starts with `obd:`. */
export async function obdStatus(port: number): Promise<SourceStatus> {
  const reply = await fetch(`http://127.0.0.1:${port}/health`);
  const health = (await reply.json()) as HealthResponse;
  const status = health.sources.sources.find((source) => source.id.startsWith('obd:'));
  if (status === undefined) throw new Error('no obd: source in /health');
  return status;
}

/** Returns the OBD-II request count from a source status, 0 when absent. */
export function requestCount(status: SourceStatus): number {
  const requests = status.extra?.requests;
  return typeof requests === 'number' ? requests : 0;
}

/**
 * Polls `/health` until the OBD-II source is live and has sent at least
 * `requests` requests, so a check that follows sees a session that has
 * run for a while, however fast the machine is.
 */
export async function waitForObdRequests(port: number, requests: number): Promise<SourceStatus> {
  let status = await obdStatus(port);
  for (let attempt = 0; attempt < 400; attempt++) {
    if (status.state === 'live' && requestCount(status) >= requests) return status;
    await Bun.sleep(50);
    status = await obdStatus(port);
  }
  throw new Error(`OBD-II source reached only ${requestCount(status)} requests (${status.state})`);
}

/** Returns the measured rate of one PID in hertz from a source status, 0 when absent. */
export function pidRateHz(status: SourceStatus, pid: string): number {
  const rates = status.extra?.ratesHz as Record<string, number> | undefined;
  return rates?.[pid] ?? 0;
}
