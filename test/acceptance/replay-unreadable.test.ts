/**
 * A maximum-speed replay must end the program with the reason when its log
 * cannot be read at all, as it does for a missing or empty file. Two such
 * logs: a MegaLogViewer file cut inside its header and a CAN capture
 * without a DBC. Today both tick empty frames as fast as the machine allows.
 */
import { describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshFolder, plainLines, runToExit, writeCutMlg } from './executable.ts';

describe('speed=max replay of an unreadable log', () => {
  test('speed=max exits naming file and byte', async () => {
    const folder = freshFolder('cut-header');
    const log = writeCutMlg(folder);

    const run = await runToExit(
      ['--port', '0', '--source', `replay:${log}?speed=max`],
      20_000,
      folder,
    );

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    const message = plainLines(run.stderr);
    expect(message).toContain('cut-header.mlg');
    expect(message).toContain('byte 20');
  }, 40_000);

  test('CAN capture without --dbc exits naming --dbc', async () => {
    const folder = freshFolder('capture-without-dbc');
    const capture = join(folder, 'two-frames.log');
    writeFileSync(
      capture,
      '(1600000000.000000) can0 1C4#0A00000000000000\n(1600000000.010000) can0 1C4#0A10000000000000\n',
    );

    const run = await runToExit(
      ['--port', '0', '--source', `replay:${capture}?speed=max`],
      20_000,
      folder,
    );

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain('--dbc');
  }, 40_000);
});
