/**
 * An SLCAN adapter plugged in after the monitor started must be picked up,
 * as one that is unplugged and plugged back in is, because the start-up
 * message reads "is the adapter plugged in?". The adapter here is a socat
 * pseudo-terminal pair whose link appears two seconds after start-up and
 * then carries Haltech engine frames. Until it appears the source is
 * reconnecting, not failed, because it keeps trying to open the device.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { startSocatPair, type SocatPair } from '../../serial/socat.ts';
import { EXECUTABLE, fetchHealth, freshFolder } from '../executable.ts';

/** A Lawicel frame line: id 0x360, 8 bytes, 800 rpm in the Haltech broadcast. */
const ENGINE_FRAME = 't36080320012C003207DD\r';

let monitor: Subprocess<'ignore', 'pipe', 'ignore'> | null = null;
let socat: SocatPair | null = null;
let adapterFd: number | null = null;

afterEach(async () => {
  if (adapterFd !== null) closeSync(adapterFd);
  adapterFd = null;
  monitor?.kill('SIGTERM');
  await monitor?.exited;
  monitor = null;
  await socat?.stop();
  socat = null;
});

/** Reads the monitor's stdout until it prints its port. */
async function portOf(child: Subprocess<'ignore', 'pipe', 'ignore'>): Promise<number> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const match = /127\.0\.0\.1:(\d+)/.exec(text);
    if (match) {
      reader.releaseLock();
      return Number(match[1]);
    }
  }
  throw new Error(`the monitor exited before printing its port: ${text}`);
}

/** State of the SLCAN source in `/health`. */
async function slcanState(port: number): Promise<string | undefined> {
  const report = await fetchHealth(port);
  return report.sources.sources.find((source) => source.id.startsWith('slcan:'))?.state;
}

describe('SLCAN adapter plugged in late', () => {
  test('source goes live when device appears', async () => {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" first`);
    const folder = freshFolder('can-slcan-late');
    const link = join(folder, 'A');
    monitor = Bun.spawn(
      [
        EXECUTABLE,
        '--data-dir', join(folder, 'data'),
        '--port', '0',
        '--source', `slcan:${link}?bitrate=1000000`,
        '--dbc', 'haltech-v2',
        '--fallback', 'none',
      ],
      { cwd: folder, stdin: 'ignore', stdout: 'pipe', stderr: 'ignore' },
    );
    const port = await portOf(monitor);
    expect(await slcanState(port)).toBe('reconnecting');

    await Bun.sleep(2_000);
    socat = await startSocatPair(folder);
    adapterFd = openSync(socat.pathB, 'r+');

    // A frame every 100 ms while the source has its chances to reopen the
    // device; 15 s allows many reopen attempts, and 150 short lines stay
    // within the pty buffers even when nothing reads them.
    let state = await slcanState(port);
    for (let step = 0; step < 150 && state !== 'live'; step++) {
      writeSync(adapterFd, ENGINE_FRAME);
      await Bun.sleep(100);
      if (step % 5 === 0) state = await slcanState(port);
    }
    expect(state).toBe('live');
  }, 60_000);
});
