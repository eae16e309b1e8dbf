/**
 * @module `<source-status>`: which source feeds the pipeline, the state and
 * detail of every source, and the latest stream events such as gaps and
 * source changes.
 */
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { SourcesSection, SourceState, StreamEvent } from '../../server/protocol.ts';
import { formatValue } from './format.ts';
import { LightElement } from './light-element.ts';

/** Severity class of each source state, shown with the state's name as text. */
const STATE_LEVEL: Readonly<Record<SourceState, 'ok' | 'warning' | 'danger' | 'idle'>> = {
  starting: 'idle',
  live: 'ok',
  reconnecting: 'warning',
  stalled: 'warning',
  ended: 'idle',
  failed: 'danger',
  stopped: 'idle',
};

/** Panel of source states and recent stream events, newest event first. */
export class SourceStatusPanel extends LightElement {
  @property({ attribute: false }) sources: SourcesSection | null = null;
  @property({ attribute: false }) events: readonly StreamEvent[] = [];

  protected override render() {
    const sources = this.sources?.sources ?? [];
    return html`<h2>Sources</h2>
      <p class="active-source">
        Active source: <strong>${this.sources?.active ?? 'none'}</strong>
      </p>
      ${sources.length === 0
        ? html`<p class="muted">No source reported yet.</p>`
        : html`<ul class="source-list">
            ${sources.map(
              (source) => html`<li data-source=${source.id} data-state=${source.state}>
                <span class="source-id">${source.id}</span>
                <span class="source-kind">${source.kind}</span>
                <span class="state-pill state-${STATE_LEVEL[source.state]}">${source.state}</span>
                <span class="source-samples">${source.samplesReceived} samples</span>
                ${source.detail ? html`<div class="source-detail">${source.detail}</div>` : nothing}
              </li>`,
            )}
          </ul>`}
      <h3>Events</h3>
      ${this.events.length === 0
        ? html`<p class="muted">No events yet.</p>`
        : html`<ol class="event-list">
            ${this.events.map(
              (event) => html`<li data-kind=${event.kind}>
                <span class="event-time">${formatValue(event.at, 1)} s</span>
                <span class="event-kind">${event.kind}</span>
                <span class="event-text">${event.text}</span>
              </li>`,
            )}
          </ol>`}`;
  }
}

customElements.define('source-status', SourceStatusPanel);
