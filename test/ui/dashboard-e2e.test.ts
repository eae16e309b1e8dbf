/**
 * Starts the real monitor with the simulator and checks, in headless
 * Chromium, that the dashboard it serves shows the simulated engine.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { ensureUiBuild, hasChromium, launchChromium, type Browser } from './support/browser.ts';
import { textOf, waitForChartDrawn } from './support/dashboard-page.ts';
import { hasGeneratedAssets, startMonitor, type MonitorProcess } from './support/monitor-process.ts';

// Waits give up after 10 s and the monitor start after 20 s, before this limit.
setDefaultTimeout(45_000);

let browser: Browser;
let monitor: MonitorProcess;
let page: Page;
const pageErrors: string[] = [];

const canRun = hasChromium() && hasGeneratedAssets();

describe.skipIf(!canRun)('dashboard on the real monitor', () => {
  beforeAll(async () => {
    await ensureUiBuild();
    monitor = await startMonitor(['--source', 'sim']);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(message.text());
    });
    await page.goto(monitor.url);
  });

  afterAll(async () => {
    await browser?.close();
    await monitor?.stop();
  });

  test('connects and names the simulator', async () => {
    await page.waitForSelector('.connection[data-connection="open"]');
    await page.waitForSelector('[data-source="sim"]');

    expect(await textOf(page, '.active-source strong')).toBe('sim');
    expect(await textOf(page, '.server-info')).toStartWith('v0.1.0');
  });

  test('tiles show simulated values', async () => {
    await page.waitForFunction(() => {
      const text = document.querySelector('channel-tile[data-channel="rpm"] .number')?.textContent;
      return text !== undefined && text !== null && text !== '—';
    });
    const rpm = Number(await textOf(page, 'channel-tile[data-channel="rpm"] .number'));

    expect(rpm).toBeGreaterThan(0);
    expect(rpm).toBeLessThan(12_000);
    expect(await textOf(page, 'channel-tile[data-channel="rpm"] .unit')).toBe('rpm');
    expect(await textOf(page, 'channel-tile[data-channel="coolantC"] .unit')).toBe('°C');
  });

  test('charts fill from the stream', async () => {
    await page.waitForFunction(() => {
      const app = document.querySelector('monitor-app') as unknown as {
        stream: { ticksReceived: number };
      };
      return app.stream.ticksReceived >= 24;
    });
    await waitForChartDrawn(page, 'time-chart[data-chart="speed"]');
    const rows = await page.evaluate(() => {
      const chart = document.querySelector('time-chart[data-chart="speed"]') as unknown as {
        plot: { data: (number | null)[][] };
      };
      return chart.plot.data[1].filter((value) => value !== null).length;
    });

    expect(rows).toBeGreaterThanOrEqual(20);
  });

  test('every server message passes validation', async () => {
    const stream = await page.evaluate(() => {
      const app = document.querySelector('monitor-app') as unknown as {
        stream: { malformedCount: number; lastMalformedReason: string | null; ticksReceived: number };
      };
      const { malformedCount, lastMalformedReason, ticksReceived } = app.stream;
      return { malformedCount, lastMalformedReason, ticksReceived };
    });

    expect(stream.ticksReceived).toBeGreaterThan(0);
    expect(stream.lastMalformedReason).toBeNull();
    expect(stream.malformedCount).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
