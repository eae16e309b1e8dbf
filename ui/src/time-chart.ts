/**
 * @module `<time-chart>`: a uPlot chart of a group of series over the last
 * seconds of a `SeriesHistory`. New ticks redraw it at most once per
 * animation frame and once per pixel's worth of time. It decimates to a few
 * points per pixel and follows its width.
 */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import type { ChartGroup, ChartSeriesSpec } from './dashboard-config.ts';
import { decimateMinMax, type AlignedColumns } from './decimate.ts';
import { formatValue } from './format.ts';
import { frameScheduler } from './frame-scheduler.ts';
import { LightElement } from './light-element.ts';
import type { SeriesHistory } from './series-history.ts';

const AXIS_COLOR = '#c5ced9';
const GRID_COLOR = '#2c3644';

/** Chart of one `ChartGroup`; set `revision` to the history's revision to redraw. */
export class TimeChart extends LightElement {
  @property({ attribute: false }) group?: ChartGroup;
  @property({ attribute: false }) history?: SeriesHistory;
  @property({ attribute: false }) revision = 0;

  /** The uPlot instance, once the chart has been laid out. */
  plot: uPlot | null = null;
  /** Number of redraws so far. */
  drawCount = 0;
  /** History revision of the last redraw, so a reader can tell the plot is current. */
  drawnRevision = -1;

  private resizeObserver: ResizeObserver | null = null;
  private readonly draw = () => this.redraw();
  private lastDrawAtMs = Number.NEGATIVE_INFINITY;
  private trailingTimer: ReturnType<typeof setTimeout> | null = null;

  protected override render() {
    return html`<h3 class="chart-title">${this.group?.title ?? ''}</h3>
      <div class="chart-plot"></div>
      <p class="chart-empty">No data in this window</p>`;
  }

  /** Creates the plot after the first render, when its container has a width. */
  protected override firstUpdated(): void {
    const container = this.querySelector<HTMLElement>('.chart-plot');
    if (!container || !this.group) return;
    this.plot = new uPlot(plotOptions(this.group, container.clientWidth), [[]], container);
    this.resizeObserver = new ResizeObserver(() => this.resize(container));
    this.resizeObserver.observe(container);
  }

  /** Queues a redraw whenever the history changed. */
  protected override updated(): void {
    if (this.plot) this.requestDraw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    frameScheduler().cancel(this.draw);
    if (this.trailingTimer !== null) clearTimeout(this.trailingTimer);
    this.trailingTimer = null;
    this.resizeObserver?.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  private resize(container: HTMLElement): void {
    if (!this.plot || !this.group) return;
    const width = Math.max(120, container.clientWidth);
    if (width === this.plot.width) return;
    this.plot.setSize({ width, height: this.group.heightPx });
    frameScheduler().schedule(this.draw);
  }

  /**
   * Draws in the next frame, unless the last draw was less than one pixel's
   * worth of time ago: then a timer draws once that time is up, so the
   * newest tick is always drawn in the end. A 300 s chart 600 px wide thus
   * redraws twice a second instead of at the 23.6 Hz tick rate.
   */
  private requestDraw(): void {
    if (this.trailingTimer !== null) return;
    const waitMs = this.pixelIntervalMs() - (performance.now() - this.lastDrawAtMs);
    if (waitMs <= 0) {
      frameScheduler().schedule(this.draw);
      return;
    }
    this.trailingTimer = setTimeout(() => {
      this.trailingTimer = null;
      frameScheduler().schedule(this.draw);
    }, waitMs);
  }

  /**
   * Returns the wall time one pixel spans at real-time speed.
   * NOTE: a replay faster than real time lags by up to its speed-up in pixels.
   */
  private pixelIntervalMs(): number {
    if (!this.plot || !this.group) return 0;
    const widthPx = Math.max(1, this.plot.bbox.width / devicePixelRatio);
    return (this.group.windowS / widthPx) * 1000;
  }

  private redraw(): void {
    if (!this.plot || !this.group || !this.history) return;
    this.lastDrawAtMs = performance.now();
    const toS = this.history.latestTimeS();
    const keys = this.group.series.map((s) => s.key);
    const data: AlignedColumns = Number.isNaN(toS)
      ? [[], ...keys.map(() => [])]
      : decimateMinMax(this.history, keys, {
          fromS: toS - this.group.windowS,
          toS,
          buckets: this.plot.bbox.width / devicePixelRatio,
          originS: toS,
        });
    this.plot.setData(data as uPlot.AlignedData);
    this.drawCount += 1;
    this.drawnRevision = this.history.revision;
    const hasValues = data.slice(1).some((column) => column.some((value) => value !== null));
    this.toggleAttribute('data-empty', !hasValues);
  }
}

/** Returns the uPlot options of a group: x in seconds before now, one y scale per unit. */
function plotOptions(group: ChartGroup, width: number): uPlot.Options {
  const units = [...new Set(group.series.map((s) => s.unit))];
  return {
    width: Math.max(120, width),
    height: group.heightPx,
    // Single-series charts carry their name in the title; live legend values
    // would only repeat the tiles.
    legend: { show: group.series.length > 1, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: () => [-group.windowS, 0] } },
    series: [timeSeries(), ...group.series.map(lineSeries)],
    axes: [
      axis({ values: (_u, ticks) => ticks.map((t) => `${t} s`) }),
      ...units.map((unit, i) => unitAxis(unit, i, group.heightPx)),
    ],
  };
}

function timeSeries(): uPlot.Series {
  return { label: 'Time', value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)} s`) };
}

/** Returns the y axis of a unit: the first on the left with grid lines, others on the right. */
function unitAxis(unit: string, index: number, heightPx: number): uPlot.Axis {
  const isFirst = index === 0;
  return axis({
    scale: unit,
    label: unit,
    // uPlot spaces y ticks at least 30 px apart, which leaves a small chart
    // with one label or none.
    space: heightPx < 150 ? 16 : 30,
    side: isFirst ? 3 : 1,
    grid: { show: isFirst, stroke: GRID_COLOR, width: 1 },
  });
}

function lineSeries(spec: ChartSeriesSpec): uPlot.Series {
  return {
    label: spec.label,
    scale: spec.unit,
    stroke: spec.color,
    width: 1.5,
    dash: spec.isDashed ? [6, 4] : undefined,
    spanGaps: false,
    points: { show: false },
    value: (_u, v) => `${formatValue(v, spec.decimals)} ${spec.unit}`,
  };
}

function axis(options: uPlot.Axis): uPlot.Axis {
  return {
    stroke: AXIS_COLOR,
    grid: { stroke: GRID_COLOR, width: 1 },
    ticks: { stroke: GRID_COLOR, width: 1 },
    ...options,
  };
}

customElements.define('time-chart', TimeChart);
