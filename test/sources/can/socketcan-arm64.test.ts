import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { ADDON_PATH, buildArm64Addon } from '../../../server/sources/can/socketcan/build-arm64.ts';

const hasCrossCompiler = Bun.which('aarch64-linux-gnu-g++') !== null;
if (!hasCrossCompiler) console.warn('skipped: aarch64-linux-gnu-g++ is absent (Debian g++-aarch64-linux-gnu)');

/** Reads `e_machine` from an ELF header: 62 is x86-64, 183 is AArch64. */
function elfMachine(path: string): number {
  const header = readFileSync(path).subarray(0, 20);
  expect([...header.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  return header.readUInt16LE(18);
}

describe.skipIf(!hasCrossCompiler)('socketcan addon for arm64', () => {
  test('cross build is AArch64 and host addon stays', () => {
    const arm64Path = buildArm64Addon();
    expect(elfMachine(arm64Path)).toBe(183);
    expect(elfMachine(ADDON_PATH)).toBe(process.arch === 'x64' ? 62 : 183);
  }, 60_000);
});
