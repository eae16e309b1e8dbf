/**
 * @module Page helpers for the dashboard tests: open the page on a harness,
 * wait for ticks to arrive, and read rendered text with clear failures.
 */
import type { Page } from 'playwright-core';
import { WAIT_TIMEOUT_MS, type Browser } from './browser.ts';
import type { TickHarness } from './tick-harness.ts';

/** An open dashboard page and the errors its scripts raised. */
export interface DashboardPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens the dashboard and waits until its WebSocket is connected to the harness. */
export async function openDashboard(browser: Browser, harness: TickHarness): Promise<DashboardPage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  const before = harness.connectionCount();
  await page.goto(harness.url);
  await harness.waitForConnections(before + 1);
  await page.waitForFunction(() => {
    const app = document.querySelector('monitor-app') as { stream?: { state: string } } | null;
    return app?.stream?.state === 'open';
  });
  return { page, errors };
}

/** Waits until the page's stream client has accepted `count` ticks. */
export async function waitForTicks(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => {
    const app = document.querySelector('monitor-app') as unknown as {
      stream: { ticksReceived: number };
    };
    return app.stream.ticksReceived >= n;
  }, count);
}

/** Returns the trimmed, whitespace-collapsed text of the first match of `selector`. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const text = await page.locator(selector).first().textContent();
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Waits until the text of `selector` equals `expected`. On timeout the error
 * names the selector and the last text seen.
 */
export async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, want]) => {
        const text = document.querySelector(sel)?.textContent ?? '';
        return text.replace(/\s+/g, ' ').trim() === want;
      },
      [selector, expected] as const,
      { timeout: WAIT_TIMEOUT_MS },
    );
  } catch {
    const actual = await textOf(page, selector).catch(() => '(no element)');
    throw new Error(`expected ${selector} to read "${expected}", got "${actual}"`);
  }
}

/** Returns the row count of the uPlot data of a chart, or -1 before it exists. */
export async function chartRows(page: Page, chartSelector: string): Promise<number> {
  return page.evaluate((sel) => {
    const chart = document.querySelector(sel) as unknown as {
      plot: { data: unknown[][] } | null;
    } | null;
    return chart?.plot ? chart.plot.data[0].length : -1;
  }, chartSelector);
}

/** Waits until a chart has drawn the stream history's latest revision. */
export async function waitForChartDrawn(page: Page, chartSelector: string): Promise<void> {
  await page.waitForFunction((sel) => {
    const app = document.querySelector('monitor-app') as unknown as {
      stream: { history: { revision: number } };
    };
    const chart = document.querySelector(sel) as unknown as { drawnRevision: number } | null;
    return chart?.drawnRevision === app.stream.history.revision;
  }, chartSelector);
}
