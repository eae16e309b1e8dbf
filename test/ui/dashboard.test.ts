/**
 * Drives the built dashboard in Debian's headless Chromium against the tick
 * harness, and checks what a person would see on the page.
 */
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { TICK_HZ } from '../../server/protocol.ts';
import { ensureUiBuild, hasChromium, launchChromium, type Browser } from './support/browser.ts';
import {
  chartRows,
  openDashboard,
  textOf,
  waitForChartDrawn,
  waitForText,
  waitForTicks,
  type DashboardPage,
} from './support/dashboard-page.ts';
import { startTickHarness, type TickHarness } from './support/tick-harness.ts';
import { makeHealth, makeTick, reading, staleReading } from './support/ticks.ts';

const SCREENSHOT_PATH = '/tmp/ui-dashboard-test.png';

// Every wait inside a test gives up after 10 s, well before this limit, so a
// failure reports its own cause. With Bun 1.4.4 a test that hit the limit left
// Chromium closed, which failed every later test too.
setDefaultTimeout(30_000);

let browser: Browser;
let harness: TickHarness;
let open: DashboardPage | null = null;

/** Opens a fresh dashboard page, which `afterEach` checks for errors and closes. */
async function dashboard(): Promise<Page> {
  open = await openDashboard(browser, harness);
  return open.page;
}

function tile(channel: string): string {
  return `channel-tile[data-channel="${channel}"]`;
}

describe.skipIf(!hasChromium())('dashboard in Chromium', () => {
  beforeAll(async () => {
    harness = startTickHarness(await ensureUiBuild());
    browser = await launchChromium();
  });

  afterEach(async () => {
    const current = open;
    open = null;
    if (!current) return;
    await current.page.close();
    expect(current.errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.stop();
  });

  test('tiles show values with units', async () => {
    const page = await dashboard();
    harness.send(
      makeTick(1, {
        channels: {
          rpm: reading(3210.4),
          lambda: reading(0.9123),
          lambdaTarget: reading(0.85),
          batteryV: reading(13.8),
          boostKpa: reading(101.7),
        },
      }),
    );
    await waitForText(page, `${tile('rpm')} .number`, '3210');

    expect(await page.locator('.main-tiles channel-tile').count()).toBe(12);
    expect(await textOf(page, `${tile('rpm')} .tile-value`)).toBe('3210 rpm');
    expect(await textOf(page, `${tile('lambda')} .tile-value`)).toBe('0.912 lambda');
    expect(await textOf(page, `${tile('lambda')} .tile-companion`)).toBe('Lambda target: 0.850 lambda');
    expect(await textOf(page, `${tile('batteryV')} .tile-value`)).toBe('13.80 V');
    expect(await textOf(page, `${tile('boostKpa')} .tile-value`)).toBe('102 kPa gauge');
    expect(await textOf(page, `${tile('coolantC')} .tile-value`)).toBe('88 °C');
    expect(await textOf(page, `${tile('rpm')} .tile-label`)).toBe('Engine speed');
  });

  test('header shows connection and server version', async () => {
    const page = await dashboard();
    await waitForText(page, '.server-info', 'v0.1.0-harness · stock-2jz-gte');

    expect(await textOf(page, '.connection')).toBe('● Live');
    expect(await page.getAttribute('.connection', 'data-connection')).toBe('open');
  });

  test('header names the active source', async () => {
    const page = await dashboard();
    harness.send(makeTick(1));
    await waitForText(page, '[data-source-role="preferred"]', 'sim');
    expect(await page.locator('[data-source-role="fallback"]').count()).toBe(0);
  });

  test('header warns about stand-in data', async () => {
    const page = await dashboard();
    harness.send(
      makeTick(1, {
        sources: {
          active: 'sim',
          sources: [
            { id: 'obd:/dev/ttyUSB0', kind: 'hardware', state: 'reconnecting', samplesReceived: 10 },
            { id: 'sim', kind: 'simulation', state: 'live', samplesReceived: 99 },
            { id: 'manual', kind: 'manual', state: 'live', samplesReceived: 0 },
          ],
        },
      }),
    );
    const selector = '[data-source-role="fallback"]';
    await waitForText(page, selector, '⚠ Stand-in data from sim (obd:/dev/ttyUSB0 is reconnecting)');
    expect(await page.locator(selector).getAttribute('role')).toBe('alert');
  });

  test('warning and danger carry a word and a state', async () => {
    const page = await dashboard();
    harness.send(
      makeTick(1, {
        channels: {
          coolantC: reading(104, 'warning'),
          oilPressureKpa: reading(60, 'danger'),
        },
      }),
    );
    await waitForText(page, `${tile('oilPressureKpa')} .number`, '60');

    expect(await page.getAttribute(tile('coolantC'), 'data-state')).toBe('warning');
    expect(await textOf(page, `${tile('coolantC')} .badge`)).toBe('▲ Warning');
    expect(await page.getAttribute(tile('oilPressureKpa'), 'data-state')).toBe('danger');
    expect(await textOf(page, `${tile('oilPressureKpa')} .badge`)).toBe('■ Danger');
    expect(await page.getAttribute(tile('rpm'), 'data-state')).toBe('ok');
    expect(await page.locator(`${tile('rpm')} .badge`).count()).toBe(0);
  });

  test('stale channel keeps its last value, marked', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { channels: { iatC: reading(33) } }));
    harness.send(makeTick(2, { channels: { iatC: staleReading(), oilTempC: staleReading() } }));
    await waitForTicks(page, 2);
    await page.waitForSelector(`${tile('iatC')}[data-stale]`);

    expect(await textOf(page, `${tile('iatC')} .number`)).toBe('33');
    expect(await textOf(page, `${tile('iatC')} .status-text`)).toBe('Stale: last value');
    expect(await page.locator(`${tile('rpm')}[data-stale]`).count()).toBe(0);
    expect(await textOf(page, `${tile('speedKmh')} .status-text`)).toBe('');
  });

  test('stale channel without history shows a dash', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { channels: { oilTempC: staleReading() } }));
    await page.waitForSelector(`${tile('oilTempC')}[data-stale]`);

    expect(await textOf(page, `${tile('oilTempC')} .number`)).toBe('—');
    expect(await textOf(page, `${tile('oilTempC')} .status-text`)).toBe('Stale, no value yet');
  });

  test('absent derived metric shows a dash, not zero', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { derived: { afrDelta: -0.021, boostGradient: 0 } }));
    await waitForText(page, '[data-metric="afrDelta"] .number', '-0.021');

    expect(await textOf(page, '[data-metric="boostGradient"] dd')).toBe('0 kPa/s');
    expect(await textOf(page, '[data-metric="turboDeviation"] dd')).toBe('— fraction');
    expect(await textOf(page, '[data-metric="coolantRiseRate"] .number')).toBe('—');
    expect(await page.locator('[data-metric][data-absent]').count()).toBe(3);

    await waitForChartDrawn(page, 'time-chart[data-chart="derived-turboDeviation"]');
    await waitForChartDrawn(page, 'time-chart[data-chart="derived-afrDelta"]');
    expect(await page.isVisible('[data-chart="derived-turboDeviation"] .chart-empty')).toBe(true);
    expect(await page.isVisible('[data-chart="derived-afrDelta"] .chart-empty')).toBe(false);
  });

  test('health panel appears only with health data', async () => {
    const page = await dashboard();
    harness.send(makeTick(1));
    await waitForTicks(page, 1);

    expect(await page.isHidden('health-panel')).toBe(true);

    const health = makeHealth(90, {
      subsystems: {
        airBoost: 90,
        fuel: 62,
        cooling: 35,
        lubrication: 95,
        ignitionKnock: 88,
        sensors: 100,
      },
      reasons: [
        {
          subsystem: 'cooling',
          code: 'coolant.rising',
          text: 'Coolant rises 0.4 °C/s at cruise',
          severity: 'danger',
        },
      ],
      agreement: 0,
      timeToWarningS: { coolantC: 95 },
    });
    harness.send(makeTick(2, { health }));
    await page.waitForSelector('health-panel:not([hidden])');

    expect(await page.getAttribute('[data-subsystem="cooling"]', 'data-state')).toBe('danger');
    expect(await textOf(page, '[data-subsystem="cooling"]')).toBe('Cooling 35 ■ Danger');
    expect(await textOf(page, '[data-subsystem="fuel"] .badge')).toBe('▲ Warning');
    const fuelMeter = '[data-subsystem="fuel"] [role="meter"]';
    expect(await page.getAttribute(fuelMeter, 'aria-valuenow')).toBe('62');
    expect(await textOf(page, '[data-code="coolant.rising"]')).toBe(
      '■ Danger Coolant rises 0.4 °C/s at cruise',
    );
    expect(await textOf(page, '[data-backend="onnx"]')).toBe('onnx gbt-1 healthy 90 % 0.04 ms');
    expect(await textOf(page, '.agreement')).toBe('The backends disagree on the top class.');
    expect(await textOf(page, '.time-to-warning')).toBe(
      'Coolant temperature reaches its warning limit in about 1 min 35 s',
    );
    expect(await page.locator('.code-list').count()).toBe(0);
  });

  test('trouble codes show when present', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { codes: [] }));
    await page.waitForSelector('health-panel:not([hidden])');

    expect(await textOf(page, '.codes-none')).toBe('No trouble codes stored or pending.');
    expect(await page.locator('.subsystem').count()).toBe(0);

    harness.send(makeTick(2, { codes: [{ code: 'P0171', kind: 'stored', ecu: '7E8' }] }));
    await waitForText(page, '.code-list [data-code="P0171"]', 'P0171 stored (ECU 7E8)');
  });

  test('source status lists sources and events', async () => {
    const page = await dashboard();
    harness.send(
      makeTick(1, {
        sources: {
          active: 'sim',
          sources: [
            {
              id: 'obd:/dev/pts/3',
              kind: 'hardware',
              state: 'failed',
              detail: 'no reply to ATZ',
              samplesReceived: 0,
            },
            { id: 'sim', kind: 'simulation', state: 'live', samplesReceived: 42 },
          ],
        },
        events: [
          { kind: 'source-change', text: 'switched from obd:/dev/pts/3 to sim', at: 12.5 },
          { kind: 'gap', text: 'no samples for 1.5 s', at: 12.4 },
        ],
      }),
    );
    await waitForText(page, '.active-source strong', 'sim');

    const failed = '[data-source="obd:/dev/pts/3"]';
    expect(await page.getAttribute(failed, 'data-state')).toBe('failed');
    expect(await textOf(page, `${failed} .state-pill`)).toBe('failed');
    expect(await textOf(page, `${failed} .source-detail`)).toBe('no reply to ATZ');
    expect(await textOf(page, '[data-source="sim"] .source-samples')).toBe('42 samples');
    expect(await page.locator('.event-list li').count()).toBe(2);
    expect(await textOf(page, '.event-list li[data-kind="gap"]')).toBe('12.4 s gap no samples for 1.5 s');
  });

  test('malformed messages are dropped and counted', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { channels: { rpm: reading(1000) } }));
    await waitForText(page, `${tile('rpm')} .number`, '1000');
    harness.send('this is not JSON');
    harness.send(JSON.stringify({ type: 'tick', seq: 2 }));
    const badState = JSON.parse(JSON.stringify(makeTick(3)));
    badState.channels.rpm = { value: 9999, stale: false, state: 'melting' };
    harness.send(JSON.stringify(badState));
    harness.send(makeTick(4, { channels: { rpm: reading(2000) } }));
    await waitForText(page, `${tile('rpm')} .number`, '2000');

    expect(await textOf(page, '.malformed')).toBe('3 malformed messages dropped');
    expect(await page.getAttribute('.malformed', 'title')).toBe(
      'channels.rpm.state must be one of ok, warning, danger, got "melting"',
    );
    expect(await textOf(page, '.connection')).toBe('● Live');
  });

  test('server error shows in the header', async () => {
    const page = await dashboard();
    const error = { type: 'error', code: 'token.invalid', message: 'the token is invalid' };
    harness.send(JSON.stringify(error));
    await waitForText(page, '.server-error', 'Server error: the token is invalid');

    expect(await page.getAttribute('.server-error', 'data-code')).toBe('token.invalid');
    expect(await page.isHidden('.malformed')).toBe(true);
  });

  test('reconnects after the socket closes', async () => {
    const page = await dashboard();
    harness.send(makeTick(1, { channels: { rpm: reading(1500) } }));
    await waitForText(page, `${tile('rpm')} .number`, '1500');
    const opened = harness.connectionCount();
    harness.closeSockets();
    await page.waitForSelector(`${tile('rpm')}[data-stale]`);

    expect(await textOf(page, `${tile('rpm')} .number`)).toBe('1500');
    expect(await page.isVisible('.feed-warning')).toBe(true);

    await harness.waitForConnections(opened + 1);
    await page.waitForSelector('.connection[data-connection="open"]');
    harness.send(makeTick(2, { channels: { rpm: reading(2500) } }));
    await waitForText(page, `${tile('rpm')} .number`, '2500');

    expect(await page.locator(`${tile('rpm')}[data-stale]`).count()).toBe(0);
    expect(await page.isHidden('.feed-warning')).toBe(true);
  });

  test('charts receive every tick of a short window', async () => {
    const page = await dashboard();
    for (let seq = 0; seq < 20; seq++) harness.send(makeTick(seq));
    await waitForTicks(page, 20);
    await waitForChartDrawn(page, 'time-chart[data-chart="speed"]');
    const early = await chartRows(page, 'time-chart[data-chart="speed"]');
    for (let seq = 20; seq < 100; seq++) harness.send(makeTick(seq));
    await waitForTicks(page, 100);
    await waitForChartDrawn(page, 'time-chart[data-chart="speed"]');
    await waitForChartDrawn(page, 'time-chart[data-chart="derived-afrDelta"]');

    expect(early).toBe(20);
    expect(await chartRows(page, 'time-chart[data-chart="speed"]')).toBe(100);
    expect(await chartRows(page, 'time-chart[data-chart="derived-afrDelta"]')).toBe(100);
  });

  test('charts decimate a long window', async () => {
    const page = await dashboard();
    const ticks = Math.ceil(90 * TICK_HZ);
    for (let seq = 0; seq < ticks; seq++) {
      const rpm = 2000 + 1500 * Math.sin(seq / 30);
      harness.send(makeTick(seq, { channels: { rpm: reading(rpm) } }));
    }
    await waitForTicks(page, ticks);
    await waitForChartDrawn(page, 'time-chart[data-chart="speed"]');
    const plot = await page.evaluate(() => {
      const chart = document.querySelector('time-chart[data-chart="speed"]') as any;
      const xs: number[] = chart.plot.data[0];
      const widthPx = chart.plot.bbox.width / devicePixelRatio;
      return { rows: xs.length, first: xs[0], last: xs[xs.length - 1], widthPx };
    });
    const ticksInWindow = Math.floor(60 * TICK_HZ);

    expect(plot.rows).toBeGreaterThan(plot.widthPx / 2);
    expect(plot.rows).toBeLessThanOrEqual(2 * Math.ceil(plot.widthPx));
    expect(plot.rows).toBeLessThan(ticksInWindow);
    expect(plot.first).toBeGreaterThanOrEqual(-60);
    expect(plot.last).toBe(0);
  });

  test('text contrast meets WCAG AA', async () => {
    const page = await dashboard();
    harness.send(
      makeTick(1, {
        channels: {
          coolantC: reading(104, 'warning'),
          oilPressureKpa: reading(60, 'danger'),
          iatC: staleReading(),
        },
        health: makeHealth(40),
        codes: [{ code: 'P0171', kind: 'stored', ecu: '7E8' }],
      }),
    );
    await page.waitForSelector('health-panel:not([hidden])');
    const lowContrast = await page.evaluate(lowContrastTexts, 4.5);

    expect(lowContrast).toEqual([]);
  });

  test('layout fits wide and narrow screens', async () => {
    const page = await dashboard();
    const health = makeHealth(70, {
      reasons: [
        {
          subsystem: 'fuel',
          code: 'lambda.lean',
          text: 'Lambda 1.08 under boost',
          severity: 'warning',
        },
      ],
    });
    for (let seq = 0; seq < 300; seq++) {
      const phase = seq / 40;
      harness.send(
        makeTick(seq, {
          channels: {
            rpm: reading(3000 + 2000 * Math.sin(phase)),
            boostKpa: reading(Math.max(-60, 120 * Math.sin(phase)), seq > 250 ? 'warning' : 'ok'),
            oilPressureKpa: reading(95, 'danger'),
            iatC: staleReading(),
          },
          health,
          codes: [{ code: 'P0171', kind: 'stored', ecu: '7E8' }],
        }),
      );
    }
    await waitForTicks(page, 300);
    await waitForChartDrawn(page, 'time-chart[data-chart="boost"]');
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

    for (const width of [1400, 800, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // The charts follow through a ResizeObserver, which runs before the next paint.
      await page.waitForFunction((viewportWidth) => {
        const charts = [...document.querySelectorAll('time-chart')];
        return charts.every(
          (chart) => (chart as unknown as { plot: { width: number } }).plot.width < viewportWidth,
        );
      }, width);
      const layout = await page.evaluate(() => {
        const boxes = [...document.querySelectorAll('.main-tiles channel-tile')].map((el) =>
          el.getBoundingClientRect(),
        );
        let overlaps = 0;
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i];
            const b = boxes[j];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
          }
        }
        const chartWidths = [...document.querySelectorAll('time-chart')].map(
          (chart) => (chart as unknown as { plot: { width: number } }).plot.width,
        );
        return { scrollWidth: document.documentElement.scrollWidth, overlaps, chartWidths };
      });

      await page.screenshot({ path: SCREENSHOT_PATH.replace('.png', `-${width}.png`), fullPage: true });
      expect(layout.overlaps).toBe(0);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      for (const chartWidth of layout.chartWidths) expect(chartWidth).toBeLessThan(width);
    }
  });
});

/**
 * Runs in the page: returns every visible text element whose colour has a
 * WCAG contrast ratio below `minRatio` against its nearest opaque background.
 */
function lowContrastTexts(minRatio: number): string[] {
  const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = (color: string) => {
    const [r, g, b] = channels(color).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const backgroundOf = (element: Element | null): string => {
    for (let node = element; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      const alpha = channels(color)[3];
      if (color !== 'rgba(0, 0, 0, 0)' && (alpha === undefined || alpha === 1)) return color;
    }
    return 'rgb(255, 255, 255)';
  };
  const failures: string[] = [];
  const textElements = [...document.querySelectorAll('monitor-app *')].filter((element) =>
    [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
  );
  for (const element of textElements) {
    if (!(element as HTMLElement).offsetParent) continue;
    const foreground = luminance(getComputedStyle(element).color);
    const background = luminance(backgroundOf(element));
    const ratio = (Math.max(foreground, background) + 0.05) / (Math.min(foreground, background) + 0.05);
    if (ratio < minRatio) {
      const name = element.className || element.tagName;
      failures.push(`${name}: ${ratio.toFixed(2)} "${element.textContent?.trim()}"`);
    }
  }
  return failures;
}
