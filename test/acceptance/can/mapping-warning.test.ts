/**
 * A `--can-map` entry that names no signal of the DBC must be reported, so
 * that a typo in a mapping does not leave the monitor running with no
 * channel and no reason given. The replay below maps only a misspelt signal;
 * the warning has to reach the log or the tick stream.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshFolder, runToExit } from '../executable.ts';

/** Haltech engine frames (id 0x360) at 50 Hz for one second: 800 rpm. */
function haltechCapture(): string {
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    const timeS = (1_700_000_000 + i * 0.02).toFixed(6);
    lines.push(`(${timeS}) can0 360#0320012C003207DD`);
  }
  return `${lines.join('\n')}\n`;
}

describe('mapping key matching no signal', () => {
  test('replay names the unmatched key', async () => {
    const folder = freshFolder('can-mapping-typo');
    const capture = join(folder, 'engine.log');
    const mapping = join(folder, 'typo.map.json');
    const ticks = join(folder, 'ticks.jsonl');
    writeFileSync(capture, haltechCapture());
    writeFileSync(
      mapping,
      JSON.stringify({ signals: { 'HALTECH_360_ENGINE.EngineSpede': { channel: 'rpm', unit: 'rpm' } } }),
    );

    const run = await runToExit(
      [
        '--port', '0',
        '--source', `replay:${capture}?speed=max`,
        '--dbc', 'haltech-v2',
        '--can-map', mapping,
        '--jsonl', ticks,
      ],
      30_000,
      folder,
    );

    expect(run.isStillRunning).toBe(false);
    const everything = run.stdout + run.stderr + readFileSync(ticks, 'utf8');
    const namesTheKey = everything.includes('HALTECH_360_ENGINE.EngineSpede');
    expect(namesTheKey).toBe(true);
  }, 60_000);
});
