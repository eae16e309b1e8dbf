/**
 * @module Starts a `socat` pseudo-terminal pair for tests and stops it by
 * its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running `socat` that links two ptys at `pathA` and `pathB`. */
export interface SocatPair {
  readonly pathA: string;
  readonly pathB: string;
  stop(): Promise<void>;
}

/** Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits for both links. */
export async function startSocatPair(dir = mkdtempSync(join(tmpdir(), 'socat-'))): Promise<SocatPair> {
  if (Bun.which('socat') === null) {
    throw new Error('socat is not installed; install the Debian package with: apt-get install socat');
  }
  const pathA = join(dir, 'A');
  const pathB = join(dir, 'B');
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  for (let attempt = 0; attempt < 200; attempt++) {
    if (existsSync(pathA) && existsSync(pathB)) break;
    await Bun.sleep(10);
  }
  if (!existsSync(pathA) || !existsSync(pathB)) {
    child.kill();
    throw new Error('socat did not create its pty links within 2 s');
  }

  return {
    pathA,
    pathB,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
