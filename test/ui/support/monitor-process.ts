/**
 * @module Starts the real monitor (`bun server/main.ts`) on a free loopback
 * port for end-to-end UI tests, and reads the port from its start-up log line.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Subprocess } from 'bun';

const REPO_DIR = resolve(import.meta.dir, '../../..');
const GENERATED_ASSETS = join(REPO_DIR, 'server/generated/assets.ts');
const START_TIMEOUT_MS = 20_000;

/** A running monitor process. */
export interface MonitorProcess {
  /** Page URL, such as `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Stops the process and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * Returns true when the asset manifest that `bun build.ts` generates exists,
 * after printing why the end-to-end tests skip when it does not.
 */
export function hasGeneratedAssets(): boolean {
  if (existsSync(GENERATED_ASSETS)) return true;
  console.warn(`skipped: ${GENERATED_ASSETS} is absent; run "bun build.ts" first`);
  return false;
}

/**
 * Spawns the monitor with `args` on port 0 and a fresh data folder, and
 * resolves once it logged its port. Rejects with its stderr when it exits
 * first or does not start within 20 s.
 */
export async function startMonitor(args: readonly string[]): Promise<MonitorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ui-e2e-monitor-'));
  const child = Bun.spawn(
    [process.execPath, 'server/main.ts', '--port', '0', '--data-dir', dataDir, ...args],
    { cwd: REPO_DIR, stdout: 'ignore', stderr: 'pipe' },
  );
  const stop = async () => {
    child.kill();
    await child.exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await readPort(child);
    return { url: `http://127.0.0.1:${port}/`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function readPort(child: Subprocess<'ignore', 'ignore', 'pipe'>): Promise<number> {
  const reader = child.stderr.getReader();
  const decoder = new TextDecoder();
  let output = '';
  const timer = setTimeout(() => child.kill(), START_TIMEOUT_MS);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      output += decoder.decode(value, { stream: true });
      const port = portFromLog(output);
      if (port !== null) {
        // Keep draining stderr so the monitor never blocks on a full pipe.
        void drain(reader);
        return port;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`the monitor exited before it listened; its stderr:\n${output}`);
}

function portFromLog(output: string): number | null {
  for (const line of output.split('\n')) {
    if (!line.includes('"monitor started"')) continue;
    try {
      const record = JSON.parse(line) as { port?: unknown };
      if (typeof record.port === 'number') return record.port;
    } catch {
      // A partial line: the next chunk completes it.
    }
  }
  return null;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (;;) {
    const { done } = await reader.read();
    if (done) return;
  }
}
