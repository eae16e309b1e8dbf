/**
 * A fault superimposed on a log that lacks the channel it acts on cannot
 * show. Oil pressure loss on a log without oil pressure must be reported
 * as such, not listed as superimposed with nothing to see.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TickMessage } from '../../../server/protocol.ts';
import { freshFolder, runToExit } from '../executable.ts';

const LOG_DURATION_S = 60;

/** Writes an OBD-II logger CSV with engine speed and coolant only, one row per second. */
function writeLogWithoutOilPressure(folder: string): string {
  const rows = ['ENGINE_RUN_TINE (),ENGINE_RPM (),COOLANT_TEMPERATURE (),'];
  for (let second = 0; second <= LOG_DURATION_S; second++) {
    rows.push(`${second}.000000, 2500.000000, 88.000000,`);
  }
  const path = join(folder, 'no-oil-pressure.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

describe('fault on a log without its channel', () => {
  test('oil pressure loss names the missing oil pressure channel', async () => {
    const folder = freshFolder('fault-missing');
    const log = writeLogWithoutOilPressure(folder);
    const jsonl = join(folder, 'ticks.jsonl');
    const source = `replay:${log}?speed=max&fault=oil-pressure-loss@5:1`;

    const run = await runToExit(['--port', '0', '--source', source, '--jsonl', jsonl], 40_000, folder);

    expect(run.exitCode).toBe(0);
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter((line) => line !== '');
    const last = JSON.parse(lines.at(-1)!) as TickMessage;
    const replay = last.sources.sources.find((entry) => entry.kind === 'replay');
    const detail = replay?.detail ?? '';
    expect(detail).toContain('oil-pressure-loss');
    // The fault name is spelt with hyphens; a note about the channel reads "oil pressure".
    expect(`${detail}\n${run.stderr}`).toMatch(/oil ?pressure/i);
  }, 50_000);
});
