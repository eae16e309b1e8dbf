/**
 * Start-up mistakes a user makes on the command line: each one stops the
 * executable with a plain message that names the option, the value and
 * what is wrong with it, and no stack trace.
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { freshFolder, plainLines, runToExit } from './executable.ts';

const STACK_FRAME = /^\s+at /m;

describe('command-line mistakes', () => {
  test('--jsonl in a missing folder', async () => {
    const folder = freshFolder('jsonl');
    const target = join(folder, 'no-such-folder', 'ticks.jsonl');

    const run = await runToExit(['--port', '0', '--jsonl', target], 20_000, folder);

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain('--jsonl');
    expect(plainLines(run.stderr)).toContain(target);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 30_000);

  test('--jsonl naming a folder', async () => {
    const folder = freshFolder('jsonl-folder');

    const run = await runToExit(['--port', '0', '--jsonl', folder], 20_000, folder);

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain('--jsonl');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 30_000);

  test('--fallback with an unknown source', async () => {
    const run = await runToExit(['--port', '0', '--fallback', 'sim,nope'], 20_000);

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain('--fallback');
    expect(plainLines(run.stderr)).toContain('nope');
  }, 30_000);

  test('replay of a folder', async () => {
    const folder = freshFolder('replay-folder');

    const run = await runToExit(['--port', '0', '--source', `replay:${folder}`], 20_000);

    expect(run.isStillRunning).toBe(false);
    expect(run.exitCode).not.toBe(0);
    expect(plainLines(run.stderr)).toContain(folder);
    expect(plainLines(run.stderr)).not.toContain('not found');
  }, 30_000);
});
