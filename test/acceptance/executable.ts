/**
 * @module Runs the compiled executable the way a user does, for the
 * acceptance tests, to its exit with a time limit; reads `/health` and
 * writes damaged logs and reads the tick stream.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthResponse, TickMessage } from '../../server/protocol.ts';
import { REPO_DIR } from '../support/shared-data.ts';

/** Path of the executable that `bun build.ts` writes. */
export const EXECUTABLE = join(REPO_DIR, 'dist', '2jz-monitor');

export interface ExecutableRun {
  /** Exit code, or null when the run was ended at the time limit. */
  readonly exitCode: number | null;
  /** True when the executable was still running at the time limit. */
  readonly isStillRunning: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Returns a fresh empty folder under the system temporary folder. */
export function freshFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `2jz-acceptance-${prefix}-`));
}

function checkedExecutable(): string {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" (npm test does) first`);
  }
  return EXECUTABLE;
}

/**
 * Runs the executable with `args` and a private data folder; ends it with
 * SIGTERM when it has not exited after `limitMs`.
 */
export async function runToExit(
  args: readonly string[],
  limitMs: number,
  cwd: string = freshFolder('run'),
): Promise<ExecutableRun> {
  const child = Bun.spawn([checkedExecutable(), '--data-dir', join(cwd, 'data'), ...args], {
    cwd,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let isStillRunning = false;
  const timer = setTimeout(() => {
    isStillRunning = true;
    child.kill('SIGTERM');
  }, limitMs);

  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  const code = await child.exited;
  clearTimeout(timer);
  return { exitCode: isStillRunning ? null : code, isStillRunning, stdout, stderr };
}

/** Keeps only the lines a person reads: drops the JSON log records. */
export function plainLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('{"time"'))
    .join('\n');
}

/** Fetches and parses `GET /health` of a monitor on loopback. */
export async function fetchHealth(port: number): Promise<HealthResponse> {
  return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as HealthResponse;
}

/** Returns how many samples the manual source has accepted, from a health report. */
export function manualSamples(report: HealthResponse): number {
  const manual = report.sources.sources.find((source) => source.id === 'manual');
  if (!manual) throw new Error('the manual source is missing from /health');
  return manual.samplesReceived;
}

/**
 * Writes the 20 first bytes of a version 1 MegaLogViewer header (which is
 * 22 bytes long) as `cut-header.mlg` in `folder` and returns its path.
 */
export function writeCutMlg(folder: string): string {
  const header = new Uint8Array(20);
  header.set(new TextEncoder().encode('MLVLG'), 0);
  header[7] = 1;
  const path = join(folder, 'cut-header.mlg');
  writeFileSync(path, header);
  return path;
}

/**
 * Reads the stream of a monitor on loopback until a tick matches `isWanted`;
 * returns that tick, or null after `maxTicks` ticks.
 */
export async function firstMatchingTick(
  port: number,
  isWanted: (tick: TickMessage) => boolean,
  maxTicks: number,
): Promise<TickMessage | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  let seen = 0;
  const found = await new Promise<TickMessage | null>((resolve) => {
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as TickMessage;
      if (message.type !== 'tick') return;
      seen++;
      if (isWanted(message)) resolve(message);
      else if (seen >= maxTicks) resolve(null);
    };
    ws.onerror = () => resolve(null);
  });
  ws.close();
  return found;
}
