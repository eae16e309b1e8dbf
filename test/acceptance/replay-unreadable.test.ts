/**
 * A maximum-speed replay of a log that cannot be opened at all (a
 * MegaLogViewer file cut inside its header) must end the program with
 * the reason, as a missing or empty file does, instead of ticking empty
 * frames as fast as the machine allows.
 */
import { describe, expect, test } from 'bun:test';
import { freshFolder, plainLines, runToExit, writeCutMlg } from './executable.ts';

describe('replay of a log cut inside its header', () => {
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
});
