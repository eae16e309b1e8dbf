/**
 * Faults superimposed on a replayed log (`replay:FILE?fault=...`): the
 * values change from the onset on, not before, gaps stay gaps, and a bad
 * fault value is rejected with the grammar.
 */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../../../server/domain/sample.ts';
import { createReplaySource } from '../../../server/sources/replay/index.ts';
import { SourceConfigError } from '../../../server/sources/source.ts';

/** Writes a 300 s OBD logger CSV of a hot idle, with a 30 s gap from 200 s. */
function writeHotIdle(): string {
  const rows = ['ENGINE_RUN_TINE (),ENGINE_RPM (),COOLANT_TEMPERATURE (),VEHICLE_SPEED (),'];
  for (let second = 0; second <= 300; second++) {
    if (second > 200 && second < 230) continue;
    rows.push(`${second}.000000, 900.000000, 96.000000, 0.000000,`);
  }
  const path = join(mkdtempSync(join(tmpdir(), '2jz-overlay-')), 'hot-idle.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

async function replayCoolant(spec: string): Promise<Sample[]> {
  const source = createReplaySource(spec, { flags: {}, dataDir: tmpdir() });
  const samples: Sample[] = [];
  await source.start({
    sink: (batch) => samples.push(...batch),
    clock: { nowS: () => 0 },
    onStatus: () => {},
    onEvent: () => {},
  });
  for (let timeS = 0; source.advanceTo!(timeS); timeS += 0.5);
  return samples.filter((s) => s.channel === 'coolantC');
}

describe('fault overlay on a replay', () => {
  const log = writeHotIdle();

  test('healthy replay keeps the logged values', async () => {
    const coolant = await replayCoolant(`${log}?speed=max`);
    expect(coolant.every((s) => s.value === 96)).toBe(true);
  });

  test('fan failure heats the coolant after onset only', async () => {
    const coolant = await replayCoolant(`${log}?speed=max&fault=fan-failure@60:1`);
    const beforeOnset = coolant.filter((s) => s.timeS < 60);
    const atEnd = coolant.at(-1)!;
    expect(beforeOnset.length).toBeGreaterThan(100);
    expect(beforeOnset.every((s) => s.value === 96)).toBe(true);
    expect(atEnd.value).toBeGreaterThan(100);
  });

  test('gap in the log stays a gap', async () => {
    const coolant = await replayCoolant(`${log}?speed=max&fault=fan-failure@60:1`);
    // On the 50 Hz grid the 271 s with records give about 13,550 samples; a
    // grid filled through the 30 s silence would give 15,001.
    expect(coolant.length).toBeGreaterThan(13_000);
    expect(coolant.length).toBeLessThan(14_000);
  });

  test('unknown fault kind is rejected with the kinds', () => {
    expect(() => createReplaySource(`${log}?fault=warp-core@10`, { flags: {}, dataDir: tmpdir() })).toThrow(
      SourceConfigError,
    );
    expect(() => createReplaySource(`${log}?fault=warp-core@10`, { flags: {}, dataDir: tmpdir() })).toThrow(
      /boost-leak/,
    );
  });
});
