/**
 * @module Cross-builds the `socketcan` addon for linux-arm64 (Raspberry Pi)
 * with Debian's `g++-aarch64-linux-gnu`, and swaps it in while the arm64
 * binary is compiled, because the compiled binary embeds whatever
 * `socketcan/build/Release/can.node` is at compile time.
 *
 * Run alone: `bun server/sources/can/socketcan/build-arm64.ts` prints the
 * path of the arm64 addon.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_DIR = resolve(import.meta.dir, '../../../..');
const PACKAGE_DIR = join(REPO_DIR, 'node_modules/socketcan');
/** The addon file that `openAddonChannel` requires and the binary embeds. */
export const ADDON_PATH = join(PACKAGE_DIR, 'build/Release/can.node');
/** Location of the arm64 build between builds (ignored by git with node_modules). */
export const ARM64_ADDON_PATH = join(REPO_DIR, 'node_modules/.cache/socketcan-linux-arm64/can.node');

const CROSS_TOOLS = {
  CC: 'aarch64-linux-gnu-gcc',
  CXX: 'aarch64-linux-gnu-g++',
  LINK: 'aarch64-linux-gnu-g++',
  AR: 'aarch64-linux-gnu-ar',
};

/**
 * Builds the arm64 addon unless it is already there (or `force`), and
 * returns its path. Throws with the compiler output when the build fails,
 * or naming the Debian package when the cross compiler is missing.
 */
export function buildArm64Addon(force = false): string {
  if (!force && existsSync(ARM64_ADDON_PATH)) return ARM64_ADDON_PATH;
  if (Bun.which(CROSS_TOOLS.CXX) === null) {
    throw new Error(`${CROSS_TOOLS.CXX} not found; install the Debian package g++-aarch64-linux-gnu.`);
  }
  if (!existsSync(PACKAGE_DIR)) throw new Error('node_modules/socketcan is missing; run npm install.');

  // Build in a copy so the x86-64 addon in node_modules stays as it is.
  const workDir = mkdtempSync(join(tmpdir(), 'socketcan-arm64-'));
  try {
    cpSync(PACKAGE_DIR, workDir, { recursive: true, filter: (path) => !path.includes('/build/') });
    const nodeGyp = join(REPO_DIR, 'node_modules/.bin/node-gyp');
    const run = Bun.spawnSync([nodeGyp, 'rebuild', '--arch=arm64', '--nodedir=/usr'], {
      cwd: workDir,
      env: { ...process.env, ...CROSS_TOOLS, NODE_PATH: join(REPO_DIR, 'node_modules') },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    if (run.exitCode !== 0) {
      throw new Error(`node-gyp arm64 build failed:\n${run.stderr.toString().slice(-3000)}`);
    }
    mkdirSync(join(ARM64_ADDON_PATH, '..'), { recursive: true });
    copyFileSync(join(workDir, 'build/Release/can.node'), ARM64_ADDON_PATH);
    return ARM64_ADDON_PATH;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs `compile` with the arm64 addon in place of the host addon and puts
 * the host addon back afterwards, also when `compile` throws.
 */
export async function withArm64Addon<T>(compile: () => Promise<T>): Promise<T> {
  const arm64Path = buildArm64Addon();
  const hostBackup = `${ADDON_PATH}.host`;
  renameSync(ADDON_PATH, hostBackup);
  try {
    copyFileSync(arm64Path, ADDON_PATH);
    return await compile();
  } finally {
    renameSync(hostBackup, ADDON_PATH);
  }
}

if (import.meta.main) {
  console.log(buildArm64Addon(process.argv.includes('--force')));
}
