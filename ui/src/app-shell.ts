/**
 * @module `<monitor-app>`: the dashboard page. It owns the stream client,
 * fetches `/health` once connected, tracks whether the feed went silent, and
 * passes the latest tick and the history to the panels.
 */
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { HealthResponse, StreamEvent } from '../../server/protocol.ts';
import { CHART_GROUPS, MAIN_TILES, type TileSpec } from './dashboard-config.ts';
import { LightElement } from './light-element.ts';
import { sameOriginStreamUrl, StreamClient, type ConnectionState } from './stream-client.ts';
import './channel-grid.ts';
import './derived-panel.ts';
import './health-panel.ts';
import './source-status.ts';
import './time-chart.ts';

/** Seconds without a tick after which every value is shown as stale. */
const SILENT_FEED_S = 2;
const MAX_EVENTS = 30;

const CONNECTION_TEXT: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped',
};

const MAIN_CHANNELS = new Set(MAIN_TILES.flatMap((t) => [t.channel, t.companion ?? '']));

/** Root element of the dashboard. */
export class MonitorApp extends LightElement {
  /** The stream client; public so tests and later tools can inspect it. */
  readonly stream = new StreamClient({ url: sameOriginStreamUrl(location) });

  @state() private server: HealthResponse | null = null;
  @state() private isFeedStale = true;
  @state() private events: readonly StreamEvent[] = [];

  private unsubscribe: (() => void) | null = null;
  private silenceTimer: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.stream.subscribe((change) => this.handleChange(change));
    this.silenceTimer = setInterval(() => this.checkSilence(), 500);
    this.stream.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    if (this.silenceTimer !== null) clearInterval(this.silenceTimer);
    this.stream.stop();
  }

  private handleChange(change: string): void {
    if (change === 'state' && this.stream.state === 'open') void this.fetchServerHealth();
    if (change === 'tick') this.collectEvents();
    this.checkSilence();
    this.requestUpdate();
  }

  private collectEvents(): void {
    const fresh = this.stream.latest?.events;
    if (!fresh || fresh.length === 0) return;
    this.events = [...fresh].reverse().concat(this.events).slice(0, MAX_EVENTS);
  }

  private checkSilence(): void {
    const last = this.stream.lastTickAtMs;
    const isSilent = last === null || performance.now() - last > SILENT_FEED_S * 1000;
    this.isFeedStale = this.stream.state !== 'open' || isSilent;
  }

  /** Reads version and profile for the header; the dashboard works without them. */
  private async fetchServerHealth(): Promise<void> {
    try {
      const response = await fetch('/health');
      if (response.ok) this.server = (await response.json()) as HealthResponse;
    } catch {
      // The header then shows no version; the stream itself reports problems.
    }
  }

  protected override render() {
    const tick = this.stream.latest;
    const history = this.stream.history;
    return html`${this.renderHeader()}
      <div class="feed-warning" role="status" ?hidden=${!this.isFeedStale || tick === null}>
        ▲ No ticks for over ${SILENT_FEED_S} s: values shown are stale.
      </div>
      <main class="layout">
        <section class="primary" aria-label="Channels and charts">
          <channel-grid
            class="main-tiles"
            .tiles=${MAIN_TILES}
            .channels=${tick?.channels ?? {}}
            .isFeedStale=${this.isFeedStale}
          ></channel-grid>
          <div class="chart-grid">
            ${CHART_GROUPS.map(
              (group) => html`<time-chart
                data-chart=${group.id}
                .group=${group}
                .history=${history}
                .revision=${history.revision}
              ></time-chart>`,
            )}
          </div>
          ${this.renderOtherChannels()}
        </section>
        <aside class="secondary">
          <health-panel .health=${tick?.health} .codes=${tick?.codes}></health-panel>
          <derived-panel
            .derived=${tick?.derived ?? {}}
            .history=${history}
            .revision=${history.revision}
          ></derived-panel>
          <source-status .sources=${tick?.sources ?? null} .events=${this.events}></source-status>
        </aside>
      </main>`;
  }

  private renderHeader() {
    const { state, malformedCount, lastMalformedReason, lastServerError } = this.stream;
    return html`<header class="app-header">
      <h1>2JZ-GTE monitor</h1>
      <span class="connection connection-${state}" data-connection=${state} role="status">
        <span aria-hidden="true">●</span> ${CONNECTION_TEXT[state]}
      </span>
      ${this.renderSourceBadge()}
      ${this.server
        ? html`<span class="server-info">v${this.server.version} · ${this.server.profile}</span>`
        : nothing}
      <span class="malformed" ?hidden=${malformedCount === 0} title=${lastMalformedReason ?? ''}>
        ${malformedCount} malformed ${malformedCount === 1 ? 'message' : 'messages'} dropped
      </span>
      ${lastServerError
        ? html`<span class="server-error" data-code=${lastServerError.code}>
            Server error: ${lastServerError.message}
          </span>`
        : nothing}
    </header>`;
  }

  /**
   * Names the active source, and warns when it is a stand-in: the preferred
   * source (first in the fallback order) is down and the simulator or manual
   * input feeds the dashboard, so the values shown are not the engine's.
   */
  private renderSourceBadge() {
    const section = this.stream.latest?.sources;
    if (!section) return nothing;
    const preferred = section.sources[0];
    const active = section.active;
    if (active !== null && active === preferred?.id) {
      return html`<span class="source-badge" data-source-role="preferred">${active}</span>`;
    }
    const text =
      active === null || active === 'manual'
        ? 'No data source: only manual input'
        : `Stand-in data from ${active}`;
    const reason = preferred && preferred.id !== active ? ` (${preferred.id} is ${preferred.state})` : '';
    return html`<span class="source-badge source-fallback" data-source-role="fallback" role="alert">
      <span aria-hidden="true">⚠</span> ${text}${reason}
    </span>`;
  }

  /** Renders tiles for channels in the data that the main tiles do not show. */
  private renderOtherChannels() {
    const channels = this.stream.latest?.channels ?? {};
    const tiles: TileSpec[] = Object.keys(channels)
      .filter((id) => !MAIN_CHANNELS.has(id))
      .map((channel) => ({ channel }));
    if (tiles.length === 0) return nothing;
    return html`<details class="other-channels">
      <summary>Other channels (${tiles.length})</summary>
      <channel-grid
        class="compact"
        .tiles=${tiles}
        .channels=${channels}
        .isFeedStale=${this.isFeedStale}
      ></channel-grid>
    </details>`;
  }
}

customElements.define('monitor-app', MonitorApp);
