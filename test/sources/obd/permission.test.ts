/**
 * An adapter the monitor's user may not open (not in the dialout group)
 * must be reported clearly, and the source must keep retrying, so that it
 * connects once the owner fixes the permission without a restart.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { chmodSync, existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceStatus } from '../../../server/protocol.ts';
import { startEmulator } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

// Root opens any file; without these capabilities it obeys file modes like any user.
const WITHOUT_OVERRIDE = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'];
const canDropOverride = process.getuid?.() !== 0 || existsSync('/usr/bin/setpriv');

/** Starts the source in a child process that file permissions apply to; collects its statuses. */
function startUnprivilegedSource(spec: string): SourceStatus[] {
  const statuses: SourceStatus[] = [];
  const command = [process.execPath, join(import.meta.dir, 'source-child.ts'), spec];
  const isRoot = process.getuid?.() === 0;
  const child = Bun.spawn(isRoot ? [...WITHOUT_OVERRIDE, ...command] : command, {
    stdout: 'pipe',
    stderr: 'ignore',
  });
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await child.exited;
  });
  void (async () => {
    let pending = '';
    const decoder = new TextDecoder();
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      pending += decoder.decode(read.value, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) statuses.push(JSON.parse(line) as SourceStatus);
    }
  })();
  return statuses;
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (condition()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an adapter without permission to open it', () => {
  if (!canDropOverride) console.log('skipped: running as root without setpriv to drop the override');

  test.skipIf(!canDropOverride)('keeps retrying and connects once permitted', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const device = realpathSync(peer.path);
    chmodSync(device, 0o000);

    const statuses = startUnprivilegedSource(`${peer.path}?baud=38400`);
    const isDenied = (s: SourceStatus) => s.detail?.includes('Permission denied') === true;
    await waitFor('two denied attempts', () => statuses.filter(isDenied).length >= 2);
    const denied = statuses.find(isDenied)!;
    expect(denied.state).toBe('reconnecting');
    expect(denied.detail).toContain('dialout');

    chmodSync(device, 0o660);
    await waitFor('live', () => statuses.at(-1)?.state === 'live');
    expect(statuses.some((s) => s.state === 'failed')).toBe(false);
  });
});
