/**
 * `2jz-monitor decode` must reject a malformed DBC with the file, line and
 * column and what was expected, and exit non-zero. Each DBC below is wrong
 * in one place. Today the first three are accepted and decode silently
 * wrong, and the error for the last repeats megabytes of the file.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTABLE, freshFolder } from '../executable.ts';

const HEADER = ['VERSION ""', '', 'NS_ :', '', 'BS_:', '', 'BU_: ECU DASH', ''];

/** One frame for message id 0x100 and one for 0x101. */
const CAPTURE = '(1.000000) can0 100#0102030405060708\n(1.010000) can0 101#0102030405060708\n';

interface DecodeRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `dbcText` and the two-frame capture into a fresh folder and decodes. */
async function decodeWith(name: string, dbcText: string): Promise<DecodeRun> {
  if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing; run "bun build.ts" first`);
  const folder = freshFolder(`can-dbc-${name}`);
  const dbc = join(folder, `${name}.dbc`);
  const capture = join(folder, 'two-frames.log');
  writeFileSync(dbc, dbcText);
  writeFileSync(capture, CAPTURE);

  const child = Bun.spawn([EXECUTABLE, 'decode', '--dbc', dbc, capture], {
    cwd: folder,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { exitCode: await child.exited, stdout, stderr };
}

/** Joins the header and `body` into DBC text whose line numbers count from 1. */
function dbcOf(body: readonly string[]): string {
  return [...HEADER, ...body, ''].join('\n');
}

describe('decode rejects a malformed DBC', () => {
  test('duplicate message id names line', async () => {
    const text = dbcOf([
      'BO_ 256 ENGINE: 8 ECU',
      ' SG_ Rpm : 0|16@1+ (1,0) [0|16000] "rpm" DASH',
      '',
      'BO_ 256 OTHER: 8 ECU',
      ' SG_ Flag : 0|8@1+ (1,0) [0|1] "" DASH',
    ]);

    const run = await decodeWith('duplicate-id', text);

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('duplicate-id.dbc:12:');
  }, 30_000);

  test('infinite scale factor names line', async () => {
    const text = dbcOf([
      'BO_ 256 ENGINE: 8 ECU',
      ' SG_ Rpm : 0|16@1+ (1e999,0) [0|16000] "rpm" DASH',
    ]);

    const run = await decodeWith('infinite-factor', text);

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('infinite-factor.dbc:10:');
    expect(run.stdout).not.toContain('"value":null');
  }, 30_000);

  test('duplicate signal name names line', async () => {
    const text = dbcOf([
      'BO_ 256 ENGINE: 8 ECU',
      ' SG_ Rpm : 0|16@1+ (1,0) [0|16000] "rpm" DASH',
      ' SG_ Rpm : 16|16@1+ (1,0) [0|16000] "rpm" DASH',
    ]);

    const run = await decodeWith('duplicate-signal', text);

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('duplicate-signal.dbc:11:');
  }, 30_000);

  test('long bad token is not repeated', async () => {
    const run = await decodeWith('one-long-token', 'A'.repeat(2_000_000));

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('one-long-token.dbc:1:1');
    expect(run.stderr.length).toBeLessThan(2_000);
  }, 30_000);
});
