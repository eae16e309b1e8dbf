/**
 * @module `<channel-tile>`: one channel's value with its unit, its limit
 * state (colour plus a word and symbol) and a stale marker. A stale channel
 * keeps showing its last value, dimmed and labelled as stale.
 */
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ChannelReading } from '../../server/protocol.ts';
import { channelDisplay } from './channel-catalog.ts';
import { formatValue } from './format.ts';
import { limitBadge } from './limit-badge.ts';
import { LightElement } from './light-element.ts';

/** Tile of one channel; reflects `data-state` and `data-stale` for styling and tests. */
export class ChannelTile extends LightElement {
  @property({ attribute: 'data-channel', reflect: true }) channel = '';
  @property({ attribute: false }) reading?: ChannelReading;
  @property({ attribute: false }) companion?: string;
  @property({ attribute: false }) companionReading?: ChannelReading;
  /** True when the whole stream is silent or disconnected. */
  @property({ attribute: false }) isFeedStale = false;

  private lastValue: number | null = null;
  private lastCompanionValue: number | null = null;

  /** Remembers the last fresh values before each render, for the stale display. */
  protected override willUpdate(): void {
    if (this.reading?.value != null) this.lastValue = this.reading.value;
    if (this.companionReading?.value != null) this.lastCompanionValue = this.companionReading.value;
    this.dataset.state = this.reading?.state ?? 'absent';
    this.setAttribute('role', 'group');
    this.setAttribute('aria-label', channelDisplay(this.channel).label);
    this.toggleAttribute('data-stale', this.isStale());
  }

  private isStale(): boolean {
    return this.reading !== undefined && (this.reading.stale || this.isFeedStale);
  }

  protected override render() {
    const display = channelDisplay(this.channel);
    const isStale = this.isStale();
    const value = isStale ? this.lastValue : (this.reading?.value ?? null);
    return html`
      <div class="tile-label">${display.label}</div>
      <div class="tile-value">
        <span class="number">${formatValue(value, display.decimals)}</span>
        <span class="unit">${display.unit}</span>
      </div>
      ${this.renderCompanion()}
      <div class="tile-status">
        ${this.reading ? limitBadge(this.reading.state) : nothing}
        <span class="status-text">${this.statusText(isStale)}</span>
      </div>
    `;
  }

  private renderCompanion() {
    if (!this.companion) return nothing;
    const display = channelDisplay(this.companion);
    const reading = this.companionReading;
    const value = reading?.stale ? this.lastCompanionValue : (reading?.value ?? null);
    return html`<div class="tile-companion">
      ${display.label}: ${formatValue(value, display.decimals)} ${display.unit}
    </div>`;
  }

  private statusText(isStale: boolean): string {
    if (!this.reading) return 'No data';
    if (isStale) return this.lastValue === null ? 'Stale, no value yet' : 'Stale: last value';
    return '';
  }
}

customElements.define('channel-tile', ChannelTile);
