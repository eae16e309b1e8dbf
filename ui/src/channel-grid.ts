/**
 * @module `<channel-grid>`: a grid of channel tiles built from a list of
 * tile specs, so the set of tiles is data, not markup.
 */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChannelReading } from '../../server/protocol.ts';
import type { TileSpec } from './dashboard-config.ts';
import { LightElement } from './light-element.ts';
import './channel-tile.ts';

/** Grid of tiles for `tiles`, fed from the latest tick's channel readings. */
export class ChannelGrid extends LightElement {
  @property({ attribute: false }) tiles: readonly TileSpec[] = [];
  @property({ attribute: false }) channels: Readonly<Record<string, ChannelReading>> = {};
  @property({ attribute: false }) isFeedStale = false;

  protected override render() {
    return html`${repeat(
      this.tiles,
      (tile) => tile.channel,
      (tile) => html`<channel-tile
        .channel=${tile.channel}
        .reading=${this.channels[tile.channel]}
        .companion=${tile.companion}
        .companionReading=${tile.companion ? this.channels[tile.companion] : undefined}
        .isFeedStale=${this.isFeedStale}
      ></channel-tile>`,
    )}`;
  }
}

customElements.define('channel-grid', ChannelGrid);
