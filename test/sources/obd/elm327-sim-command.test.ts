import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { REPO_DIR } from '../../support/shared-data.ts';
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { tempLink } from './support.ts';

const BUN = process.execPath;

/** Reads a child's stdout until `pattern` appears; fails after 20 s. */
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  const deadline = Date.now() + 20_000;
  while (!pattern.test(text) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}

describe('elm327-sim command', () => {
  test('serves a pollable clone', async () => {
    const link = tempLink();
    const child = Bun.spawn([BUN, join(REPO_DIR, 'server/main.ts'), 'elm327-sim', '--link', link, '--clone', 'echo,dots'], {
      stdout: 'pipe',
      stderr: 'pipe',
    });
    try {
      const banner = await readUntil(child.stdout, /listening on/);
      expect(banner).toContain(`ELM327 emulator listening on ${link}`);

      const spec = `${link}?baud=38400`;
      const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
      let samples = 0;
      await source.start({ sink: (batch) => (samples += batch.length), clock: { nowS: () => 0 }, onStatus: () => {}, onEvent: () => {} });
      expect(source.status().state).toBe('live');
      expect(source.status().extra?.echoStuck).toBe(true);
      for (let i = 0; i < 500 && samples < 50; i++) await Bun.sleep(10);
      expect(samples).toBeGreaterThanOrEqual(50);
      await source.stop();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await readUntil(child.stdout, /stopped after/)).toMatch(/stopped after [1-9]\d* OBD requests/);
    expect(await child.exited).toBe(0);
    // The values come from the engine simulator, not the built-in fallback drive.
    expect(await new Response(child.stderr).text()).not.toContain('Simulator unavailable');
  });

  test('rejects an unknown clone quirk', async () => {
    const child = Bun.spawn([BUN, join(REPO_DIR, 'server/main.ts'), 'elm327-sim', '--clone', 'teleport'], {
      stdout: 'pipe',
      stderr: 'pipe',
    });
    expect(await child.exited).toBe(2);
    expect(await new Response(child.stderr).text()).toContain('Unknown clone quirk "teleport"');
  });
});
