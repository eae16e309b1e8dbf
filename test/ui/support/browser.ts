/**
 * @module Starts Debian's headless Chromium through playwright-core for the
 * UI tests, with a fresh profile, and makes sure a dashboard build exists.
 */
import { existsSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildUi } from '../../../ui/build-ui.ts';

/** Longest wait for a page condition, in milliseconds. */
export const WAIT_TIMEOUT_MS = 10_000;

/** Path of the system Chromium the tests drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const REPO_DIR = resolve(import.meta.dir, '../../..');
/** Folder of the dashboard build the tests serve. */
export const UI_BUILD_DIR = join(REPO_DIR, 'ui/build');

/** Returns true when Chromium is installed, after printing why tests skip when it is not. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  console.warn(`skipped: ${CHROMIUM_PATH} is absent; install the Debian package chromium`);
  return false;
}

/** Builds the dashboard when `ui/build` is missing or older than a file in `ui/src`. */
export async function ensureUiBuild(): Promise<string> {
  const built = join(UI_BUILD_DIR, 'app.js');
  if (!existsSync(built) || newestSourceMs() > statSync(built).mtimeMs) {
    await buildUi(UI_BUILD_DIR);
  }
  return UI_BUILD_DIR;
}

function newestSourceMs(): number {
  const sourceDir = join(REPO_DIR, 'ui/src');
  const files = readdirSync(sourceDir).map((name) => join(sourceDir, name));
  files.push(join(REPO_DIR, 'ui/build-ui.ts'));
  return Math.max(...files.map((file) => statSync(file).mtimeMs));
}

/** A browser context with its profile folder, removed again by `close`. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh user data folder. */
export async function launchChromium(): Promise<Browser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'ui-test-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  context.setDefaultTimeout(WAIT_TIMEOUT_MS);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
